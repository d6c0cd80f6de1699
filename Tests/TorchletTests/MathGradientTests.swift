import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks for the element-wise functions, with inputs kept away
/// from their kinks and singularities.
@Suite struct MathGradientTests {
    static func shape(_ g: Generator) -> [Int] { randomShape(rank: 1 + g.nextInt(below: 3), generator: g) }

    @Test(arguments: 0..<5)
    func smooth(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor(Self.shape(g), low: -2, high: 2, generator: g)
        checkGradients([x]) { $0[0].exp() }
        checkGradients([x]) { $0[0].tanh() }
        checkGradients([x]) { $0[0].sigmoid() }
        checkGradients([x]) { $0[0].pow(2) }
        checkGradients([x]) { $0[0].pow(3) }
    }

    @Test(arguments: 0..<5)
    func positiveDomain(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor(Self.shape(g), low: 0.5, high: 3, generator: g)
        checkGradients([x]) { $0[0].log() }
        checkGradients([x]) { $0[0].sqrt() }
        checkGradients([x]) { $0[0].pow(0.5) }
        checkGradients([x]) { $0[0].pow(-1.5) }
    }

    @Test(arguments: 0..<5)
    func kinks(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensorAwayFromZero(Self.shape(g), gap: 0.1, high: 2, generator: g)
        checkGradients([x]) { $0[0].relu() }
        checkGradients([x]) { $0[0].abs() }
        // Clamp bounds at ±0.5 ± 0.05 could sit within ε of a value: move those values off.
        for i in 0..<x.count where abs(abs(x.scalars[i]) - 0.5) < 0.05 { x.scalars[i] += 0.1 }
        checkGradients([x]) { $0[0].clamped(min: -0.5, max: 0.5) }
    }

    @Test func values() {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        assertClose(x.relu().scalars, [0, 0, 0, 0.5, 2])
        assertClose(x.abs().scalars, [2, 0.5, 0, 0.5, 2])
        assertClose(x.clamped(min: -1, max: 1).scalars, [-1, -0.5, 0, 0.5, 1])
        assertClose(x.sigmoid().scalars, x.scalars.map { 1 / (1 + Foundation.exp(-$0)) })
        assertClose(Tensor([-1000, 1000]).sigmoid().scalars, [0, 1])
        assertClose(Tensor([4, 9]).sqrt().scalars, [2, 3])
    }
}
