import Testing
import Torchlet
@testable import Course

/// The checks lessons run on a student's result before going on with it: each names what is wrong, or passes.
@Suite struct UnusableTests {
    @Test func shapesLossesAndShares() {
        #expect(Unusable.shape(Tensor.zeros([2, 4]), [2, 4]) == nil)
        #expect(Unusable.shape(Tensor.zeros([0]), [2, 4], "h") == "h of shape [0], not [2, 4]")
        #expect(Unusable.loss(Tensor(2)) == nil && Unusable.loss(Tensor.zeros([1])) == nil)
        #expect(Unusable.loss(Tensor.zeros([3])) == "a loss of shape [3], not one number")
        #expect(Unusable.share(0.5, "an accuracy") == nil)
        #expect(Unusable.share(5303, "an accuracy") == "an accuracy of 5303.0, not a share from 0 to 1")
        #expect(Unusable.share(.nan, "an accuracy") != nil)
        #expect(Unusable.count([1, 2, 3, 4], 4, "a 2 × 2 matrix") == nil)
        #expect(Unusable.count([], 4, "a 2 × 2 matrix") == "0 values for a 2 × 2 matrix (4)")
    }

    @Test func batchesHoldEachPositionOnce() {
        #expect(Unusable.batches([[2, 0], [1, 3], [4]], count: 5, batchSize: 2) == nil)
        #expect(Unusable.batches([[2, 0], [1, 3]], count: 5, batchSize: 2, dropLast: true) == nil)
        #expect(Unusable.batches([], count: 5, batchSize: 2) == "0 positions in all, not 5 different ones of 0..<5")
        #expect(Unusable.batches([[1, 2], [3, 4], [5]], count: 5, batchSize: 2) == "a position outside 0..<5")
        #expect(Unusable.batches([[0, 0], [1, 2], [3]], count: 5, batchSize: 2) != nil)
        #expect(Unusable.batches([[0, 1, 2], [3, 4]], count: 5, batchSize: 2) == "an empty batch, or one of more than 2")
        #expect(Unusable.batches([[]], count: 0, batchSize: 2) == "an empty batch, or one of more than 2")
    }

    @Test func gridsPaddingAndStates() {
        #expect(Unusable.grid([[1, 2], [3, 4], [5, 6]], rows: 3, columns: 2, "streams") == nil)
        #expect(Unusable.grid([], rows: 6, columns: 4, "streams") == "streams of 0 rows of 0–0 ids, not 6 of 4")
        #expect(Unusable.grid([[1, 2], [3]], rows: 2, columns: 2, "inputs") == "inputs of 2 rows of 1–2 ids, not 2 of 2")
        #expect(Unusable.streams([[0, 6], [1, 7], [2, 8]], tokens: 13, batchSize: 2) == "streams of 3 rows of 2–2 ids, not 6 of 2")
        let letters = (0..<6).map { t in [t, 6 + t] }                                  // 12 tokens in 2 streams
        #expect(Unusable.streams(letters, tokens: 12, batchSize: 2) == nil)
        #expect(Unusable.chunk((Array(letters[3..<5]), Array(letters[4..<6])), of: letters, at: 3, length: 3) == nil, "the last chunk is shorter")
        #expect(Unusable.chunk(([], []), of: letters, at: 0, length: 3) == "inputs of 0 rows of 0–0 ids, not 3 of 2")
        #expect(Unusable.chunk((Array(letters[0..<3]), Array(letters[0..<3])), of: letters, at: 0, length: 3) == nil,
                "a shape check, not a value check")
        #expect(Unusable.padded([[5, 6, 0], [7, 0, 0]], lengths: [2, 1], count: 2) == nil)
        #expect(Unusable.padded([], lengths: [], count: 2) == "0 rows and 0 lengths for 2 sequences")
        #expect(Unusable.padded([[5, 6, 0], [7]], lengths: [2, 1], count: 2) == "rows of different lengths")
        #expect(Unusable.padded([[5, 6, 0], [7, 0, 0]], lengths: [4, 1], count: 2) == "lengths [4, 1] for rows of 3 ids")
        let state = (Tensor.zeros([1, 16, 64]), Tensor.zeros([1, 16, 64]))
        #expect(Unusable.state(state, batch: 16) == nil)
        #expect(Unusable.state((Tensor.zeros([1, 16, 32]), Tensor.zeros([1, 16, 0])), batch: 16) == nil, "a GRU's state")
        #expect(Unusable.state((Tensor.zeros([0]), Tensor.zeros([0])), batch: 16)
                == "a state of shapes [0] and [0], not [layers, 16, size] twice")
        #expect(Unusable.state((Tensor.zeros([1, 8, 32]), Tensor.zeros([1, 8, 32])), batch: 16) != nil)
    }
}
