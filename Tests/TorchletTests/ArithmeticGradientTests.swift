import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks for `+`, `-`, `*`, `/` (tensor–tensor with broadcasting,
/// tensor–scalar, scalar–tensor) and unary minus.
@Suite struct ArithmeticGradientTests {
    static let binary: [(name: String, op: (Tensor, Tensor) -> Tensor)] = [
        ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
    ]

    /// Operand pairs: equal random shapes, then the broadcasting cases.
    static func shapePairs(_ g: Generator) -> [([Int], [Int])] {
        let same = randomShape(rank: 1 + g.nextInt(below: 3), generator: g)
        return [
            (same, same),
            ([4, 3], [3]), ([3], [4, 3]),
            ([2, 1, 5], [3, 1]), ([3, 1], [2, 1, 5]),
            ([], [2, 3]), ([2, 3], []),
            ([1, 3], [4, 1]), ([2, 3, 4], [2, 1, 4]),
        ]
    }

    @Test(arguments: 0..<5)
    func tensorTensor(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        for (aShape, bShape) in Self.shapePairs(g) {
            for (name, op) in Self.binary {
                let a = randomTensor(aShape, generator: g)
                // Divisors stay away from 0, where 1/b blows up.
                let b = name == "div"
                    ? randomTensorAwayFromZero(bShape, gap: 0.5, high: 1.5, generator: g)
                    : randomTensor(bShape, generator: g)
                checkGradients([a, b]) { op($0[0], $0[1]) }
            }
        }
    }

    @Test(arguments: 0..<5)
    func tensorScalar(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 1 + g.nextInt(below: 3), generator: g)
        let s = g.nextUniform(low: 0.5, high: 2)
        let a = randomTensorAwayFromZero(shape, gap: 0.5, high: 1.5, generator: g)
        checkGradients([a]) { $0[0] + s }
        checkGradients([a]) { s + $0[0] }
        checkGradients([a]) { $0[0] - s }
        checkGradients([a]) { s - $0[0] }
        checkGradients([a]) { $0[0] * s }
        checkGradients([a]) { s * $0[0] }
        checkGradients([a]) { $0[0] / s }
        checkGradients([a]) { s / $0[0] }
        checkGradients([a]) { -$0[0] }
    }

    @Test func broadcastShapes() {
        func shape(_ a: [Int], _ b: [Int]) -> [Int] { (Tensor.zeros(a) + Tensor.zeros(b)).shape }
        #expect(shape([4, 3], [3]) == [4, 3])
        #expect(shape([2, 1, 5], [3, 1]) == [2, 3, 5])
        #expect(shape([], [2, 3]) == [2, 3])
        #expect(shape([1, 3], [4, 1]) == [4, 3])
        #expect(shape([5, 1, 1], [1, 2, 1]) == [5, 2, 1])
    }

    @Test(arguments: 0..<3)
    func broadcastValues(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let a = randomTensor([2, 1, 5], generator: g), b = randomTensor([3, 1], generator: g)
        let sum = a + b, product = a * b, quotient = a / (b + 3)
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<5 {
                    let x = a.scalars[i * 5 + k], y = b.scalars[j]
                    let o = (i * 3 + j) * 5 + k
                    #expect(abs(sum.scalars[o] - (x + y)) < 1e-6)
                    #expect(abs(product.scalars[o] - x * y) < 1e-6)
                    #expect(abs(quotient.scalars[o] - x / (y + 3)) < 1e-6)
                }
            }
        }
    }
}
