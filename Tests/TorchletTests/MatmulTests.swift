import Testing
import TestSupport
@testable import Torchlet

/// `matmul`: values against a naive triple loop, and gradients for 2-D,
/// N-D × 2-D and batched 3-D products.
@Suite struct MatmulTests {
    /// `[n, k] · [k, m]` by the definition.
    static func naive(_ a: [Float], _ b: [Float], n: Int, k: Int, m: Int) -> [Float] {
        var c = [Float](repeating: 0, count: n * m)
        for i in 0..<n { for j in 0..<m { for p in 0..<k { c[i * m + j] += a[i * k + p] * b[p * m + j] } } }
        return c
    }

    @Test(arguments: 0..<5)
    func values(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let n = 1 + g.nextInt(below: 6), k = 1 + g.nextInt(below: 6), m = 1 + g.nextInt(below: 6)
        let a = randomTensor([n, k], generator: g), b = randomTensor([k, m], generator: g)
        let c = a.matmul(b)
        #expect(c.shape == [n, m])
        assertClose(c.scalars, Self.naive(a.scalars, b.scalars, n: n, k: k, m: m))
        let batched = randomTensor([3, n, k], generator: g), bb = randomTensor([3, k, m], generator: g)
        let cb = batched.matmul(bb)
        #expect(cb.shape == [3, n, m])
        for i in 0..<3 {
            assertClose(cb[i].scalars, Self.naive(batched[i].scalars, bb[i].scalars, n: n, k: k, m: m), "batch \(i)")
        }
    }

    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let n = 1 + g.nextInt(below: 4), k = 1 + g.nextInt(below: 4), m = 1 + g.nextInt(below: 4)
        checkGradients([randomTensor([n, k], generator: g), randomTensor([k, m], generator: g)]) {
            $0[0].matmul($0[1])
        }
        checkGradients([randomTensor([2, n, k], generator: g), randomTensor([k, m], generator: g)]) {
            $0[0].matmul($0[1])
        }
        checkGradients([randomTensor([2, 2, n, k], generator: g), randomTensor([k, m], generator: g)]) {
            $0[0].matmul($0[1])
        }
        checkGradients([randomTensor([3, n, k], generator: g), randomTensor([3, k, m], generator: g)]) {
            $0[0].matmul($0[1])
        }
        // A transposed operand, as Linear and LSTMCell use it.
        checkGradients([randomTensor([n, k], generator: g), randomTensor([m, k], generator: g)]) {
            $0[0].matmul($0[1].transposed())
        }
    }

    /// Only one operand requires grad: the other side's rule must not run
    /// or must not matter.
    @Test func gradientForOneSideOnly() {
        let g = Generator(seed: 9)
        let a = randomTensor([2, 3, 4], generator: g)
        let b = randomTensor([2, 4, 2], generator: g)
        a.requiresGrad = true
        a.matmul(b).sum().backward()
        #expect(a.grad?.shape == [2, 3, 4])
        #expect(b.grad == nil)
    }

    /// A product over an empty inner dimension is zeros of the outer shape, as in PyTorch (not a tensor with no values).
    @Test func emptyInnerDimensionGivesZeros() {
        let c = Tensor.zeros([3, 0]).matmul(Tensor.zeros([0, 2]))
        #expect(c.shape == [3, 2] && c.scalars == [Float](repeating: 0, count: 6))
        let y = linear(Tensor.zeros([4, 0]), weight: Tensor.zeros([3, 0]), bias: Tensor([1, 2, 3]))
        #expect(y.shape == [4, 3] && y.scalars == Array([[Float]](repeating: [1, 2, 3], count: 4).joined()))
        let layer = Linear(inFeatures: 0, outFeatures: 3, generator: Generator(seed: 0))
        #expect(layer.bias!.scalars == [0, 0, 0], "PyTorch's bound for no inputs is 0, not 1/√0")
        #expect(layer(Tensor.zeros([2, 0])).shape == [2, 3])
    }

    /// A vector operand is a row on the left or a column on the right, dropped from the result, as in PyTorch.
    @Test func vectorOperands() {
        let v = Tensor([1, 2, 3]), m = Tensor([[1, 0], [0, 1], [1, 1]])            // [3], [3, 2]
        #expect(v.matmul(m).shape == [2] && v.matmul(m).scalars == [4, 5])
        #expect(m.transposed().matmul(v).shape == [2] && m.transposed().matmul(v).scalars == [4, 5])
        #expect(v.matmul(v).shape == [] && v.matmul(v).item == 14)
        let batch = Tensor.ones([2, 4, 3])
        #expect(batch.matmul(v).shape == [2, 4] && batch.matmul(v).scalars.allSatisfy { $0 == 6 })
        // The gradient flows to both, as through the matrix product.
        let x = Tensor([1, 2, 3], requiresGrad: true), w = Tensor([[1, 0], [0, 1], [1, 1]], requiresGrad: true)
        x.matmul(w).sum().backward()
        #expect(x.grad!.scalars == [1, 1, 2] && w.grad!.scalars == [1, 1, 2, 2, 3, 3])
    }
}
