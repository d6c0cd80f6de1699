import Testing
import TestSupport
@testable import Torchlet

/// Gradient clipping against `torch.nn.utils.clip_grad_norm_` and
/// `clip_grad_value_` (fixtures from scripts/make_fixtures.py), and the
/// edge cases PyTorch defines: no gradients, a parameter without one,
/// below the threshold, and non-finite norms.
@Suite struct ClipGradTests {
    /// The fixture's parameters a, b, c with `<prefix><name>` as gradients,
    /// and no_grad without one.
    func parameters(_ f: Fixture, gradients prefix: String) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in try f.string("parameters").split(separator: ",").map(String.init) {
            let key = prefix + name
            let p = Tensor.zeros(f.has(key) ? try f.values(key).shape : [2], requiresGrad: true)
            p.grad = f.has(key) ? try f.tensor(key) : nil
            result[name] = p
        }
        return result
    }

    @Test(arguments: ["above", "below", "inf", "p3"])
    func clipGradNormMatchesPyTorch(_ name: String) throws {
        let f = try Fixture.load("clip_grad_norm")
        let params = try parameters(f, gradients: "\(name).grad.")
        let normType: Float = try f.configValue("\(name).norm_type") == .string("inf") ? .infinity : f.float("\(name).norm_type")
        let before = params.mapValues { $0.grad?.scalars }
        let total = clipGradNorm(Array(params.values), maxNorm: try f.float("\(name).max_norm"), normType: normType)
        assertClose([total], [try f.tensor("\(name).total_norm").item], "\(name) total norm")
        for (key, p) in params where key != "no_grad" {
            assertClose(p.grad!, try f.tensor("\(name).clipped.\(key)"), "\(name) clipped \(key)")
        }
        #expect(params["no_grad"]!.grad == nil, "a parameter without a gradient keeps none")
        if try !f.bool("\(name).clips") {
            #expect(params.mapValues { $0.grad?.scalars } == before, "below the threshold the gradients are unchanged, bit for bit")
        } else {
            let clipped = vectorNorm(params.values.compactMap(\.grad).map { vectorNorm($0.scalars, normType) }, normType)
            assertClose([clipped], [try f.float("\(name).max_norm")], tolerance: 1e-5, "\(name): the norm after clipping is maxNorm")
        }
    }

    @Test func clipGradValueMatchesPyTorch() throws {
        let f = try Fixture.load("clip_grad_value")
        let params = try parameters(f, gradients: "grad.")
        clipGradValue(Array(params.values), clipValue: try f.float("clipValue"))
        for (key, p) in params where key != "no_grad" {
            #expect(p.grad!.scalars == (try f.values("clipped.\(key)").data), "clamping is exact: \(key)")
        }
        #expect(params["no_grad"]!.grad == nil)
    }

    @Test func noGradientsGiveNormZero() {
        let p = Tensor.ones([3], requiresGrad: true)
        #expect(clipGradNorm([p], maxNorm: 1) == 0)
        #expect(clipGradNorm([], maxNorm: 1) == 0)
        #expect(p.grad == nil)
    }

    /// As with PyTorch's default `error_if_nonfinite=False`: an infinite
    /// norm scales by 0 (the infinite value becomes NaN), a NaN norm makes
    /// every gradient NaN; the returned norm says so.
    @Test func nonFiniteNormsScaleLikePyTorch() {
        let a = Tensor.zeros([3], requiresGrad: true), b = Tensor.zeros([2], requiresGrad: true)
        a.grad = Tensor([1, .infinity, -2])
        b.grad = Tensor([3, 4])
        #expect(clipGradNorm([a, b], maxNorm: 1) == .infinity)
        #expect(a.grad!.scalars[0] == 0 && a.grad!.scalars[1].isNaN && a.grad!.scalars[2] == 0)
        #expect(b.grad!.scalars == [0, 0])

        a.grad = Tensor([1, .nan, 2])
        b.grad = Tensor([3, 4])
        #expect(clipGradNorm([a, b], maxNorm: 1, normType: .infinity).isNaN)
        #expect(b.grad!.scalars.allSatisfy { $0.isNaN })
    }

    @Test func clipGradValueKeepsNaNAndInfinityClamps() {
        let p = Tensor.zeros([4], requiresGrad: true)
        p.grad = Tensor([.nan, .infinity, -.infinity, 0.25])
        clipGradValue([p], clipValue: 1)
        #expect(p.grad!.scalars[0].isNaN)
        #expect(Array(p.grad!.scalars[1...]) == [1, -1, 0.25])
    }
}
