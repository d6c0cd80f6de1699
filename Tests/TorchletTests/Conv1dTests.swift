import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `Conv1d` against PyTorch (output and every gradient, from fixtures made
/// by scripts/make_fixtures.py), against central differences, against a
/// direct loop over the formula, its default initialization, and its
/// contracts.
@Suite struct Conv1dTests {
    @Test(arguments: ["conv1d", "conv1d_no_padding"])
    func matchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let conv = Conv1d(inChannels: try f.int("inChannels"), outChannels: try f.int("outChannels"),
                          kernelSize: try f.int("kernelSize"), padding: try f.int("padding"), generator: Generator(seed: 0))
        try f.load(into: conv)
        let input = try f.tensor("input", requiresGrad: true)
        let output = conv(input)
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), "\(name) loss")
        loss.backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "\(name) grad.input")
        assertClose(conv.weight.grad!, try f.tensor("grad.weight"), "\(name) grad.weight")
        assertClose(conv.bias!.grad!, try f.tensor("grad.bias"), "\(name) grad.bias")
    }

    @Test(arguments: [(1, 0), (3, 1), (3, 0), (2, 2), (5, 2)])
    func gradientsMatchCentralDifferences(kernelSize: Int, padding: Int) {
        let g = Generator(seed: UInt64(10 * kernelSize + padding))
        let conv = Conv1d(inChannels: 2, outChannels: 3, kernelSize: kernelSize, padding: padding, generator: g)
        let input = randomTensor([2, 2, 6], generator: g)
        checkGradients([input, conv.weight, conv.bias!]) { _ in conv(input) }
    }

    /// The formula written as four loops, on random sizes: the unfold must
    /// put every value where the weight's layout expects it.
    @Test func matchesTheFormulaOnRandomSizes() {
        for seed in UInt64(0)..<12 {
            let g = Generator(seed: seed)
            let (batch, cIn, cOut) = (1 + g.nextInt(below: 3), 1 + g.nextInt(below: 4), 1 + g.nextInt(below: 4))
            let k = 1 + g.nextInt(below: 4), pad = g.nextInt(below: 3), length = max(1, k - 2 * pad) + g.nextInt(below: 5)
            let conv = Conv1d(inChannels: cIn, outChannels: cOut, kernelSize: k, padding: pad, generator: g)
            let x = randomTensor([batch, cIn, length], generator: g)
            let outLength = length + 2 * pad - k + 1
            var expected = [Float]()
            for b in 0..<batch {
                for o in 0..<cOut {
                    for t in 0..<outLength {
                        var sum = conv.bias!.scalars[o]
                        for c in 0..<cIn {
                            for j in 0..<k where (0..<length).contains(t + j - pad) {
                                sum += conv.weight.scalars[(o * cIn + c) * k + j] * x.scalars[(b * cIn + c) * length + t + j - pad]
                            }
                        }
                        expected.append(sum)
                    }
                }
            }
            assertClose(conv(x).scalars, shape: conv(x).shape, expected, shape: [batch, cOut, outLength],
                        "seed \(seed): B \(batch), C_in \(cIn), C_out \(cOut), k \(k), padding \(pad), L \(length)")
        }
    }

    @Test func withoutBiasTheOutputIsTheWeightedSumAlone() {
        let conv = Conv1d(inChannels: 1, outChannels: 1, kernelSize: 2, bias: false, generator: Generator(seed: 1))
        #expect(conv.bias == nil)
        #expect(conv.namedParameters().map(\.name) == ["weight"])
        conv.weight.scalars = [1, 10]
        #expect(conv(Tensor([1, 2, 3], shape: [1, 1, 3])).scalars == [21, 32])
    }

    /// PyTorch's default: `kaiming_uniform_(a=√5)`, bound 1/√(C_in·k) for the
    /// weight and the bias (the fixtures record PyTorch's own bound).
    @Test(arguments: ["conv1d", "conv1d_no_padding"])
    func defaultInitializationHasPyTorchsBound(name: String) throws {
        let f = try Fixture.load(name)
        let (cIn, k) = (try f.int("inChannels"), try f.int("kernelSize"))
        let bound = try f.float("initBound")
        #expect(abs(bound - 1 / Float(cIn * k).squareRoot()) < 1e-6)
        let conv = Conv1d(inChannels: cIn, outChannels: 200, kernelSize: k, generator: Generator(seed: 3))
        for (name, p) in conv.namedParameters() {
            let largest = p.scalars.map(abs).max()!
            #expect(largest <= bound, "\(name): |w| up to \(largest), bound \(bound)")
            #expect(largest > 0.9 * bound, "\(name): |w| only up to \(largest), so not U(±\(bound))")
        }
        #expect(conv.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(conv.weight.shape == [200, cIn, k])
    }

    @Test func anOddKernelWithHalfItsWidthAsPaddingKeepsTheLength() {
        let conv = Conv1d(inChannels: 4, outChannels: 6, kernelSize: 5, padding: 2, generator: Generator(seed: 2))
        #expect(conv(Tensor.zeros([3, 4, 7])).shape == [3, 6, 7])
        #expect(conv(Tensor.zeros([3, 4, 1])).shape == [3, 6, 1])
    }

    @Test func aBatchFirstEmbeddingIsRefusedWithAHint() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv1d(inChannels: 8, outChannels: 2, kernelSize: 3, generator: Generator(seed: 0))(Tensor.zeros([2, 5, 8]))
        }
        expectStandardError(result, contains: [
            "Conv1d: input shape [2, 5, 8] has 5 channels in dimension 1, expected inChannels = 8",
            "use transposed(1, 2)",
        ])
    }

    @Test func anInputShorterThanTheKernelIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv1d(inChannels: 1, outChannels: 1, kernelSize: 5, padding: 1, generator: Generator(seed: 0))(Tensor.zeros([1, 1, 2]))
        }
        expectStandardError(result, contains: [
            "Conv1d: input length 2 with padding 1 on each side is shorter than the kernel size 5",
        ])
    }

    @Test func aTwoDimensionalInputIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv1d(inChannels: 3, outChannels: 1, kernelSize: 1, generator: Generator(seed: 0))(Tensor.zeros([3, 4]))
        }
        expectStandardError(result, contains: ["Conv1d: input shape [3, 4] should be 3-D [batch, channels, length]"])
    }

    @Test func badSizesAreRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv1d(inChannels: 3, outChannels: 1, kernelSize: 0, generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["Conv1d: inChannels 3, outChannels 1 and kernelSize 0 must be positive"])
    }
}
