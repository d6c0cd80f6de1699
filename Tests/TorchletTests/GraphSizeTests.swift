import Testing
import Torchlet

/// `graphSize()`: what `backward()` would walk, each node once, and how a
/// carried LSTM state makes it grow unless it is detached.
@Suite struct GraphSizeTests {
    @Test func countsEachRecordedOperationOnce() {
        let x = Tensor([1, 2], shape: [2], requiresGrad: true)
        let y = (x * x).sum()
        #expect(y.graphSize() == GraphSize(nodes: 2, bytes: 12))   // mul (2 values), sum (1)
        let shared = x * 3
        let z = (shared + shared).sum()                            // mul, add, sum: the shared mul once
        #expect(z.graphSize() == GraphSize(nodes: 3, bytes: 4 * (2 + 2 + 1)))
    }

    @Test func leavesDetachedAndNoGradResultsHaveNoGraph() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        #expect(x.graphSize() == GraphSize(nodes: 0, bytes: 0))
        #expect((x * x).detached().graphSize() == GraphSize(nodes: 0, bytes: 0))
        #expect(withNoGrad { (x * x).sum() }.graphSize() == GraphSize(nodes: 0, bytes: 0))
        // A constant input of a recorded operation is a leaf: not counted.
        #expect((x * Tensor([1, 1, 1], shape: [3])).graphSize() == GraphSize(nodes: 1, bytes: 12))
    }

    /// Chunks of one stream through an LSTM with the state carried over:
    /// without `detached()` every chunk's graph holds all the chunks before
    /// it; with it, each chunk's graph is the same size. The LSTM node counts
    /// the activations it saves for backward, so a chunk is more than its outputs.
    @Test func aCarriedStateGrowsTheGraphUnlessDetached() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 1))
        let g = Generator(seed: 2)
        let chunks = (0..<4).map { _ in Tensor.normal([5, 2, 3], generator: g) }   // [T 5, B 2, I 3]

        var state: LSTMState?
        var carried: [GraphSize] = []
        for chunk in chunks {
            let (output, newState) = lstm(chunk, state)
            carried.append(output.sum().graphSize())
            state = newState
        }
        var detachedSizes: [GraphSize] = []
        state = nil
        for chunk in chunks {
            let (output, newState) = lstm(chunk, state)
            detachedSizes.append(output.sum().graphSize())
            state = (newState.h.detached(), newState.c.detached())
        }
        #expect(Set(detachedSizes).count == 1, "\(detachedSizes)")
        #expect(detachedSizes[0] == carried[0])
        for k in 1..<chunks.count {
            #expect(carried[k].nodes > carried[k - 1].nodes && carried[k].bytes > carried[k - 1].bytes, "\(carried)")
        }
        // Linear growth: every chunk adds the same graph again (plus the narrowing of the state it reads).
        let step = carried[2].nodes - carried[1].nodes
        #expect(carried[3].nodes - carried[2].nodes == step && step > 0)
        // 5 steps · 2 rows of 4 gates · 4 values, and more, are saved by the LSTM node.
        #expect(detachedSizes[0].bytes > 4 * (5 * 2 * 4 * 4))
    }
}
