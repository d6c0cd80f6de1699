/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day10` to see your code used by the lesson, and
 `swift run grade --day 10` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day10.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 10.1: one epoch of length-bucketed batches of the positions
/// `0..<lengths.count`.
///
/// 1. draw a random order of all positions (`generator.permutation`);
/// 2. cut it into buckets of `bucketSize` positions (the last may be shorter);
/// 3. sort each bucket by length, shortest first;
/// 4. cut each sorted bucket into batches of `batchSize` (a bucket's last
///    batch may be shorter);
/// 5. shuffle the list of batches (`generator.permutation` again).
///
/// The check does not expect one particular order. It checks that every
/// position appears once, the batch sizes, that the batches have little
/// padding (with one bucket for everything, each batch holds neighbours in
/// length order), that their order is random (not sorted by length), that
/// it comes from `generator` alone, and that the next call (the next epoch)
/// gives other batches. Do not call `BucketBatchSampler`. See "Why bucket?"
/// in the lesson.
func bucketedBatches(lengths: [Int], batchSize: Int, bucketSize: Int, generator: Generator) throws -> [[Int]] {
    throw TODO("10.1")
}

/// Exercise 10.2: the character features of `N` words: `[N, F]`, one row
/// per word, `F = conv.outChannels`.
///
/// `chars[i]` holds word `i`'s character ids (at least one; 0 is the
/// padding id, which `embedding` keeps at zero). Steps:
///
/// 1. pad the ids with 0 to the longest word `W` (`padSequence(_:batchFirst:paddingValue:)`);
/// 2. embed them, `[N, W, C]`, and put the channels first, `[N, C, W]`
///    (`transposed(1, 2)`), the layout `Conv1d` expects;
/// 3. convolve: `conv(…)` gives `[N, F, W]` (its padding keeps the length);
/// 4. take each filter's maximum over the word's *real* characters only,
///    positions `t < chars[i].count`: near the end of a short word the
///    convolution still sees real characters, so padding positions carry
///    real-looking values that must not win.
///
/// Do not call `maskedMax`: add a large negative number (say −1e9) at the
/// padding positions and take `max(dim:)`. Keep everything in tensor
/// operations so the gradient reaches the embedding and the convolution.
/// See "How can a model read a word it never saw?" in the lesson.
func characterFeatures(chars: [[Int]], embedding: Embedding, conv: Conv1d) throws -> Tensor {
    throw TODO("10.2")
}

/// Exercise 10.3: precision, recall and F1 of every label from a confusion
/// matrix, `confusion[gold][predicted]`, in label order.
///
/// ```
/// precision_t = confusion[t][t] / Σ_g confusion[g][t]     (the column)
/// recall_t    = confusion[t][t] / Σ_p confusion[t][p]     (the row)
/// F1_t        = 2 · P · R / (P + R)
/// ```
/// A ratio with nothing to divide by is 0, never NaN. Do not use
/// `ConfusionMatrix`. See "Which tags does it get wrong?" in the lesson.
func perTagScores(confusion: [[Int]]) throws -> [(precision: Double, recall: Double, f1: Double)] {
    throw TODO("10.3")
}

/// Exercise 10.4: a random search that selects on validation and touches
/// the test set once.
///
/// For each of `trials` trials, draw a point with `sample()` and train a
/// model on it with `train`, which returns the model's validation
/// accuracy (the caller keeps the models, trial by trial). Keep the trial
/// with the highest validation accuracy (the earliest one on a tie), and
/// only then call `test` — once, with that trial's number, counted from 0.
/// Return the chosen point, every trial's validation accuracy in trial
/// order, and the test accuracy. See "Which settings are best?" in the
/// lesson.
func randomSearch(
    trials: Int, sample: () -> Hyperparameters, train: (Hyperparameters) -> Double, test: (_ trial: Int) -> Double
) throws -> (best: Hyperparameters, validationAccuracies: [Double], testAccuracy: Double) {
    throw TODO("10.4")
}
