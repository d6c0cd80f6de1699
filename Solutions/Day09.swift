import Course
import Foundation
import Torchlet

/// Reference solutions for Day 9, used as `Solutions.Day9.gruCellStep(…)`.
///
/// Each has the signature of its stub in `Lessons/Day09/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day9 {
    /// Exercise 9.1: one GRU cell step from tensor operations, gates r, z, n.
    public static func gruCellStep(
        _ input: Tensor, _ h: Tensor,
        weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    ) -> Tensor {
        let fromInput = (input.matmul(weightIH.transposed()) + biasIH).chunked(into: 3, dim: 1)
        let fromHidden = (h.matmul(weightHH.transposed()) + biasHH).chunked(into: 3, dim: 1)
        let r = (fromInput[0] + fromHidden[0]).sigmoid()
        let z = (fromInput[1] + fromHidden[1]).sigmoid()
        let n = (fromInput[2] + r * fromHidden[2]).tanh()       // r gates W_hn h + b_hn, bias included
        return (1 - z) * n + z * h
    }

    /// Exercise 9.2: one-layer LSTMs one after another, every layer above
    /// the first adding its input to its output; the final states stacked
    /// `[L, B, H]`.
    public static func residualStack(_ layers: [LSTM], _ input: Tensor, _ state: LSTMState?) -> (output: Tensor, state: LSTMState) {
        var x = input, hs: [Tensor] = [], cs: [Tensor] = []
        for (k, layer) in layers.enumerated() {
            let layerState = state.map { ($0.h.narrowed(dim: 0, start: k, length: 1), $0.c.narrowed(dim: 0, start: k, length: 1)) }
            let (y, final) = layer(x, layerState)
            x = k > 0 ? y + x : y
            hs.append(final.h)
            cs.append(final.c)
        }
        return (x, (Tensor(concatenating: hs, dim: 0), Tensor(concatenating: cs, dim: 0)))
    }

    /// Exercise 9.3: the decoder's weight becomes the embedding's tensor.
    public static func tieWeights(_ model: LanguageModel) {
        precondition(model.embedding.weight.shape == model.decoder.weight.shape,
                     "tieWeights: the embedding \(model.embedding.weight.shape) and the decoder \(model.decoder.weight.shape) "
                         + "need one shape (embeddingDim == hiddenSize)")
        model.decoder.weight = model.embedding.weight
    }

    /// Exercise 9.4: `gates·H·(Iₖ + H) + 2·gates·H` per layer and direction.
    public static func recurrentParameterCount(gates: Int, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool) -> Int {
        let directions = bidirectional ? 2 : 1, h = hiddenSize
        return (0..<numLayers).reduce(0) { total, layer in
            let layerInput = layer == 0 ? inputSize : directions * h
            return total + directions * (gates * h * (layerInput + h) + 2 * gates * h)
        }
    }
}
