import Foundation
import Torchlet

/// One point of the capstone's random search: the LSTM's hidden size, the
/// dropout rate and Adam's learning rate.
///
/// ```swift
/// let point = Hyperparameters.sample(generator: g)   // hidden 64, dropout 0.21, lr 0.0041
/// ```
public struct Hyperparameters: Equatable, Sendable, CustomStringConvertible {
    public var hiddenSize: Int
    public var dropout: Float
    public var learningRate: Float

    public init(hiddenSize: Int, dropout: Float, learningRate: Float) {
        (self.hiddenSize, self.dropout, self.learningRate) = (hiddenSize, dropout, learningRate)
    }

    /// The hidden sizes the search draws from.
    public static let hiddenSizes = [32, 64, 128]
    /// The learning rates' range; drawn log-uniformly, since 0.001 and 0.002
    /// differ as much as 0.01 and 0.02.
    public static let learningRates: ClosedRange<Float> = 0.001...0.02
    /// The dropout rates' range, drawn uniformly.
    public static let dropouts: ClosedRange<Float> = 0...0.5

    /// A random point: hidden size uniform over ``hiddenSizes``, dropout
    /// uniform, the learning rate log-uniform (Bergstra & Bengio, 2012).
    public static func sample(generator: Generator) -> Hyperparameters {
        let hidden = hiddenSizes[generator.nextInt(below: hiddenSizes.count)]
        let dropout = generator.nextUniform(low: dropouts.lowerBound, high: dropouts.upperBound)
        let logRate = generator.nextUniform(low: Foundation.log(learningRates.lowerBound), high: Foundation.log(learningRates.upperBound))
        return Hyperparameters(hiddenSize: hidden, dropout: dropout, learningRate: Foundation.exp(logRate))
    }

    /// `hidden 64, dropout 0.21, lr 0.0041`.
    public var description: String {
        "hidden \(hiddenSize), dropout \(format(dropout, 2)), lr \(String(format: "%.4f", learningRate))"
    }
}
