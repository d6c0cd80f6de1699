import Torchlet

/// Reference solutions for Day 1, used as `Solutions.Day1.lstmCellStep(…)`.
///
/// Each has the signature of its stub in `Lessons/Day01/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day1 {
    /// Exercise 1.1: one LSTM cell step from tensor operations.
    public static func lstmCellStep(
        _ input: Tensor, _ state: LSTMState,
        weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    ) -> LSTMState {
        let gates = input.matmul(weightIH.transposed()) + biasIH + state.h.matmul(weightHH.transposed()) + biasHH
        let chunks = gates.chunked(into: 4, dim: 1)
        let i = chunks[0].sigmoid()
        let f = chunks[1].sigmoid()
        let g = chunks[2].tanh()
        let o = chunks[3].sigmoid()
        let c = f * state.c + i * g
        let h = o * c.tanh()
        return (h, c)
    }

    /// Exercise 1.2: a numerically stable log-softmax over the last dimension.
    public static func stableLogSoftmax(_ logits: Tensor) -> Tensor {
        // The maximum is a constant shift: detaching it changes no gradient.
        let m = logits.max(dim: -1, keepDim: true).detached()
        let shifted = logits - m
        return shifted - shifted.exp().sum(dim: -1, keepDim: true).log()
    }

    /// Exercise 1.3: one training step; returns the loss before the update.
    public static func trainStep(optimizer: Optimizer, computeLoss: () -> Tensor) -> Float {
        optimizer.zeroGrad()
        let loss = computeLoss()
        loss.backward()
        optimizer.step()
        return loss.item
    }

    /// Exercise 1.4: the share of rows whose highest logit is the target.
    public static func accuracy(logits: Tensor, targets: [Int]) -> Double {
        let predictions = logits.argmax(dim: -1)
        guard !targets.isEmpty else { return 0 }
        let correct = zip(predictions, targets).filter { $0 == $1 }.count
        return Double(correct) / Double(targets.count)
    }
}
