import Testing
import TestSupport
@testable import Torchlet

/// The gradient checker itself: it passes a correct rule and catches wrong
/// ones (a missing factor, a wrong sign, a swapped element), with a
/// message that names the input and the element.
@Suite struct GradientCheckTests {
    /// x² with a backward rule of our choosing.
    static func square(_ x: Tensor, derivative: @escaping (Float) -> Float) -> Tensor {
        Tensor.result(op: "square", shape: x.shape, scalars: x.scalars.map { $0 * $0 }, inputs: [x]) { g in
            [zip(g, x.scalars).map { $0 * derivative($1) }]
        }
    }

    @Test func acceptsCorrectRule() {
        let x = randomTensor([3, 2], generator: Generator(seed: 1))
        #expect(gradientMismatches([x]) { Self.square($0[0]) { 2 * $0 } }.isEmpty)
        #expect(x.scalars == randomTensor([3, 2], generator: Generator(seed: 1)).scalars, "inputs are restored")
    }

    @Test func catchesWrongRules() {
        let x = randomTensorAwayFromZero([3, 2], gap: 0.2, generator: Generator(seed: 1))
        let missingFactor = gradientMismatches([x]) { Self.square($0[0]) { $0 } }
        #expect(missingFactor.count == 6)
        #expect(missingFactor.first?.contains("input 0 (shape [3, 2]), element 0 [0, 0]: analytic") == true,
                "\(missingFactor.first ?? "")")
        #expect(gradientMismatches([x]) { Self.square($0[0]) { -2 * $0 } }.count == 6)
        #expect(gradientMismatches([x]) { Self.square($0[0]) { 2 * $0 * 1.05 } }.count > 0, "a 5% error is caught")
        // A gradient routed to the wrong element.
        let swapped = gradientMismatches([x]) { x in
            Tensor.result(op: "swapped", shape: [6], scalars: x[0].scalars.map { $0 * $0 }, inputs: [x[0]]) { g in
                [zip(g, x[0].scalars).map { 2 * $0 * $1 }.reversed()]
            }
        }
        #expect(!swapped.isEmpty)
        // An output that records nothing.
        #expect(gradientMismatches([x]) { _ in Tensor([1]) }.first?.contains("does not require grad") == true)
    }
}
