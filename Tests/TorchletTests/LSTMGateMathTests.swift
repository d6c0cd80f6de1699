import Foundation
import Testing
import TestSupport
import TorchletWide
@testable import Torchlet

/// The LSTM's gate arithmetic gives the same bits sixteen units at a time
/// (the AVX-512 build, `WideLSTMGates`) as eight at a time (`LSTMGateMath`
/// here), so a model's results do not depend on which CPU ran it.
@Suite struct LSTMGateMathTests {
    /// `count` normal values scaled in turn by 10⁻⁶ … 100.
    static func values(_ count: Int, _ g: Generator) -> [Float] {
        let scales: [Float] = [1e-6, 0.1, 1, 3, 10, 100]
        return (0..<count).map { scales[$0 % scales.count] * g.nextNormal() }
    }

    /// One row of pre-activation gates, bias and state, with values from
    /// deep saturation (±100, where `exp` is clamped) to tiny, and the
    /// row's results after a step at each width.
    @Test(.needsWideKernel, arguments: [16, 48, 128])
    func sixteenWideEqualsEightWide(hidden: Int) throws {
        let g = Generator(seed: 11)
        func values(_ count: Int) -> [Float] { Self.values(count, g) }
        let gates = values(4 * hidden), bias = values(4 * hidden), h = values(hidden), c = values(hidden)

        /// The row after one step: gates, h, c, the saved h, c and tanh c, and the output.
        func run(wide: Bool) -> [[Float]] {
            var (gates, h, c) = (gates, h, c)
            var hPrev = [Float](repeating: .nan, count: hidden), cPrev = hPrev, tanhC = hPrev, output = hPrev
            let done = gates.withUnsafeMutableBufferPointer { gates in
                bias.withUnsafeBufferPointer { bias in
                    h.withUnsafeMutableBufferPointer { h in
                        c.withUnsafeMutableBufferPointer { c in
                            hPrev.withUnsafeMutableBufferPointer { hPrev in
                                cPrev.withUnsafeMutableBufferPointer { cPrev in
                                    tanhC.withUnsafeMutableBufferPointer { tanhC in
                                        output.withUnsafeMutableBufferPointer { output in
                                            let args = (gates.baseAddress!, bias.baseAddress!, h.baseAddress!, c.baseAddress!,
                                                        hPrev.baseAddress!, cPrev.baseAddress!, tanhC.baseAddress!, output.baseAddress!)
                                            if wide {
                                                return WideLSTMGates.step(
                                                    gates: args.0, bias: args.1, hidden: hidden, h: args.2, c: args.3,
                                                    hPrev: args.4, cPrev: args.5, tanhC: args.6, output: args.7)
                                            }
                                            LSTMGateMath.step(
                                                units: 0..<hidden, gates: args.0, bias: args.1, hidden: hidden, h: args.2,
                                                c: args.3, hPrev: args.4, cPrev: args.5, tanhC: args.6, output: args.7)
                                            return hidden
                                        }}}}}}}}
            #expect(done == hidden, "the wide path covers every unit of a multiple of 16")
            return [gates, h, c, hPrev, cPrev, tanhC, output]
        }
        let eight = run(wide: false), sixteen = run(wide: true)
        for (name, (a, b)) in zip(["gates", "h", "c", "hPrev", "cPrev", "tanhC", "output"], zip(eight, sixteen)) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(name) differs between 8 and 16 wide")
        }
        #expect(eight[6].allSatisfy { $0.isFinite && abs($0) <= 1 }, "h = o · tanh c is in [-1, 1]")
    }

    /// The same for the backward gate arithmetic: `dGates` and the new `dc`
    /// of one row, sixteen units at a time and eight at a time, from saved
    /// activations in (0, 1) and (−1, 1) and gradients of every scale.
    @Test(.needsWideKernel, arguments: [16, 48, 128])
    func gradientsSixteenWideEqualEightWide(hidden: Int) throws {
        let g = Generator(seed: 12)
        func values(_ count: Int) -> [Float] { Self.values(count, g) }
        // i, f, o are sigmoids and g a tanh: the saved activations are in their ranges.
        let gates = (0..<(4 * hidden)).map { j in
            j / hidden == 2 ? Foundation.tanh(3 * g.nextNormal()) : 1 / (1 + Foundation.exp(-3 * g.nextNormal()))
        }
        let tanhC = (0..<hidden).map { _ in Foundation.tanh(3 * g.nextNormal()) }
        let cPrev = values(hidden), gradOutput = values(hidden), dh = values(hidden), dc = values(hidden)

        /// `dGates` and `dc` after the row's gradients at one width.
        func run(wide: Bool) -> [[Float]] {
            var dc = dc, dGates = [Float](repeating: .nan, count: 4 * hidden)
            let done = dc.withUnsafeMutableBufferPointer { dc in
                dGates.withUnsafeMutableBufferPointer { dGates in
                    let (dcp, dgp) = (dc.baseAddress!, dGates.baseAddress!)
                    if wide {
                        return WideLSTMGates.gradients(gates: gates, tanhC: tanhC, cPrev: cPrev, gradOutput: gradOutput,
                                                       dh: dh, dc: dcp, dGates: dgp, hidden: hidden)
                    }
                    for j in stride(from: 0, to: hidden, by: 8) {
                        LSTMGateMath.gradients(at: j, gates: gates, tanhC: tanhC, cPrev: cPrev, gradOutput: gradOutput,
                                               dh: dh, dc: dcp, dGates: dgp, hidden: hidden)
                    }
                    return hidden
                }
            }
            #expect(done == hidden, "the wide path covers every unit of a multiple of 16")
            return [dGates, dc]
        }
        let eight = run(wide: false), sixteen = run(wide: true)
        for (name, (a, b)) in zip(["dGates", "dc"], zip(eight, sixteen)) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(name) differs between 8 and 16 wide")
        }
        #expect(eight[0].allSatisfy { $0.isFinite }, "every gate gradient was written")
    }
}
