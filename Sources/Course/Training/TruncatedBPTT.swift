import Torchlet

/// A function that cuts the chunk of `k` rows starting at row `start` from
/// streams `[T][B]`, with its targets one row later: exercise 8.2,
/// PyTorch's `get_batch`.
public typealias ChunkCutter = (_ streams: [[Int]], _ start: Int, _ k: Int) -> (inputs: [[Int]], targets: [[Int]])

/// Walks `streams` `[T][B]` (from `batchify`) in chunks of `chunkLength`
/// rows, as truncated BPTT does: calls `body` with each chunk's number
/// (from 1), inputs, targets and the state carried in (`nil` at the start:
/// zeros), and carries the state `body` returns into the next chunk.
///
/// ```
/// rows 0 … T−1, chunks at 0, k, 2k, … (the last one shorter)
/// state: nil → body(chunk 1) → body(chunk 2) → …
/// ```
/// Days 8 and 9 train and evaluate every language model with it.
public func forEachChunk(
    of streams: [[Int]], chunkLength: Int, cut: ChunkCutter,
    _ body: (_ number: Int, _ inputs: [[Int]], _ targets: [[Int]], _ state: LSTMState?) -> LSTMState
) {
    precondition(chunkLength > 0, "forEachChunk: chunkLength \(chunkLength) must be positive")
    var state: LSTMState?
    for (n, start) in stride(from: 0, to: streams.count - 1, by: chunkLength).enumerated() {
        let (inputs, targets) = cut(streams, start, chunkLength)
        state = body(n + 1, inputs, targets, state)
    }
}

extension LanguageModel {
    /// The mean cross-entropy per token and the number of tokens of every
    /// chunk of `streams`, read in chunks of `chunkLength` rows with the
    /// state carried, in evaluation mode and without a graph: what
    /// exercise 8.4 turns into a perplexity.
    public func chunkLosses(on streams: [[Int]], chunkLength: Int = 35, cut: ChunkCutter) -> [(meanLoss: Float, tokenCount: Int)] {
        eval()
        defer { train() }
        var losses: [(meanLoss: Float, tokenCount: Int)] = []
        withNoGrad {
            forEachChunk(of: streams, chunkLength: chunkLength, cut: cut) { _, inputs, targets, state in
                let (scores, newState) = self(inputs, state)
                losses.append((meanLoss(scores, targets: targets).item, inputs.count * inputs[0].count))
                return newState
            }
        }
        return losses
    }
}
