import Testing
import TestSupport
@testable import Torchlet

/// How `backward()` behaves: shared nodes, accumulation, detach, no-grad
/// and deep graphs.
@Suite struct AutogradTests {
    /// An operation with several results (`Tensor.results`, as the LSTM
    /// layer's output, h and c) runs its one backward with the gradient of
    /// each result that a gradient reached and nil for the others, also
    /// when a kept graph is walked again from fewer of its results.
    @Test func severalResultsShareOneBackward() {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        var seen: [[[Float]?]] = []
        // y = (2x₀, 2x₁) and z = (3x₂): backward maps each result's gradient back.
        let results = Tensor.results(op: "split", shapes: [[2], [1]], scalars: [[2, 4], [9]], inputs: [x]) { g in
            seen.append(g)
            return [[2 * (g[0]?[0] ?? 0), 2 * (g[0]?[1] ?? 0), 3 * (g[1]?[0] ?? 0)]]
        }
        let (y, z) = (results[0], results[1])
        #expect(y.scalars == [2, 4] && z.scalars == [9] && y.requiresGrad && z.requiresGrad)
        let loss = (y * Tensor([1, 10])).sum() + z.sum()
        loss.backward()
        #expect(x.grad!.scalars == [2, 20, 3])
        y.sum().backward()  // the same graph again, from y alone: z's gradient must not linger
        #expect(x.grad!.scalars == [4, 22, 3])
        #expect(seen.count == 2 && seen[0][0] == [1, 10] && seen[0][1] == [1] && seen[1][0] == [1, 1] && seen[1][1] == nil)
        let plain = withNoGrad { Tensor.results(op: "split", shapes: [[1]], scalars: [[5]], inputs: [x]) { _ in [nil] } }
        #expect(!plain[0].requiresGrad && plain[0].scalars == [5])
    }

    @Test func nodeUsedTwice() {
        let x = Tensor([1, -2, 3], requiresGrad: true)
        (x * x).sum().backward()
        #expect(x.grad!.scalars == [2, -4, 6])
        let a = Tensor([1, 2], requiresGrad: true)
        (a + a).sum().backward()
        #expect(a.grad!.scalars == [2, 2])
    }

    /// x → (y = 2x, z = x²) → w = y · z: dw/dx = 2x² + 2x · 2x = 6x².
    @Test func diamond() {
        let x = Tensor([1, 2, -3], requiresGrad: true)
        let y = x * 2, z = x * x
        (y * z).sum().backward()
        assertClose(x.grad!.scalars, [6, 24, 54])
        // A deeper diamond whose branches meet after different depths.
        let u = Tensor([0.5, -0.25])
        checkGradients([u]) { u in u[0].exp() * (u[0] * 3).tanh().exp() + u[0] }
    }

    @Test func backwardTwiceAccumulates() {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let loss = (x * x * x).sum()
        loss.backward()
        let once = x.grad!.scalars
        loss.backward()
        assertClose(x.grad!.scalars, once.map { 2 * $0 })
    }

    @Test func gradientsAccumulateUntilZeroGrad() {
        let w = Tensor([2, -1], requiresGrad: true)
        (w * 3).sum().backward()
        (w * w).sum().backward()
        assertClose(w.grad!.scalars, [3 + 4, 3 - 2])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w * 5).sum().backward()
        assertClose(w.grad!.scalars, [5, 5])
        // A module's zeroGrad resets every parameter.
        let layer = Linear(inFeatures: 2, outFeatures: 1, generator: Generator(seed: 0))
        layer(Tensor([[1, 2]])).sum().backward()
        #expect(layer.parameters().allSatisfy { $0.grad != nil })
        layer.zeroGrad()
        #expect(layer.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func detachedStopsGradients() {
        let x = Tensor([1, 2], requiresGrad: true)
        let d = (x * 3).detached()
        #expect(!d.requiresGrad)
        #expect(d.isLeaf)
        #expect(d.scalars == [3, 6])
        (x * d).sum().backward()
        #expect(x.grad!.scalars == [3, 6], "only the direct path counts")
    }

    @Test func noGradRecordsNothing() {
        let x = Tensor([1, 2], requiresGrad: true)
        let inside = withNoGrad { (x * x).exp().sum() }
        #expect(!inside.requiresGrad)
        #expect(inside.isLeaf)
        #expect(GradMode.isEnabled, "grad mode is back on after the scope")
        let outside = (x * x).sum()
        #expect(outside.requiresGrad)
        let nested: Bool = withNoGrad { withNoGrad { GradMode.isEnabled } }
        #expect(!nested)
        #expect(GradMode.isEnabled)
        struct Failure: Error {}
        #expect(throws: Failure.self) { try withNoGrad { throw Failure() } }
        #expect(GradMode.isEnabled, "restored after a throwing body too")
        // Tensors made without requiresGrad never record either.
        #expect(!(Tensor([1]) * Tensor([2])).requiresGrad)
        #expect(!Tensor(concatenating: [x, x]).detached().requiresGrad)
        #expect(!withNoGrad { Tensor(concatenating: [x, x]) }.requiresGrad)
    }

    /// h = tanh(h · w + x), 10,000 times: the iterative backward must not
    /// overflow the stack, and the gradient is finite.
    @Test func deepRecurrence() {
        let w = Tensor([0.5], requiresGrad: true)
        let x = Tensor([0.1], requiresGrad: true)
        var h = Tensor([0])
        for _ in 0..<10_000 { h = (h * w + x).tanh() }
        h.sum().backward()
        #expect(w.grad!.item.isFinite)
        #expect(x.grad!.item.isFinite)
        #expect(x.grad!.item > 0)
    }

    @Test func backwardWithExplicitGradient() {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        (x * x).backward(gradient: Tensor([1, 0, -1]))
        #expect(x.grad!.scalars == [2, 0, -6])
    }

    @Test func leavesAndNonLeaves() {
        let x = Tensor([1], requiresGrad: true)
        let y = x * 2
        #expect(x.isLeaf)
        #expect(!y.isLeaf)
        y.backward()
        #expect(y.grad == nil, "only leaves keep a gradient")
    }
}
