import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `Init` against PyTorch's `torch.nn.init`, from fixtures made by
/// scripts/make_fixtures.py. Random streams differ between the two
/// libraries, so the deterministic parts are pinned: gains, fans, the
/// bound or std each initializer hands to its random draw, and the QR and
/// orthogonal matrix made from a given Gaussian matrix.
@Suite struct InitParityTests {
    @Test func calculateGainMatchesPyTorch() throws {
        let f = try Fixture.load("init_gain")
        let names = try f.string("nonlinearities").split(separator: ",").map(String.init)
        let gains = try f.values("gain").data
        let params = try f.values("param").data
        let hasParam = try f.indices("has_param").data
        #expect(names.count == gains.count && names.count == 16)
        for (i, name) in names.enumerated() {
            let nonlinearity = try #require(Init.Nonlinearity(rawValue: name), "no Nonlinearity named \(name)")
            let param: Float? = hasParam[i] == 1 ? params[i] : nil
            let gain = Init.calculateGain(nonlinearity, param: param)
            #expect(abs(gain - gains[i]) <= 1e-6 * max(1, abs(gains[i])),
                    "calculate_gain(\(name), \(String(describing: param))): \(gain), PyTorch \(gains[i])")
        }
    }

    /// The fixture's shapes, in order.
    static func shapes(_ f: Fixture) throws -> [[Int]] {
        try (0..<(try f.int("shapeCount"))).map { try f.indices("shape.\($0)").data }
    }

    @Test func fansMatchPyTorch() throws {
        let f = try Fixture.load("init_fans_bounds")
        let fans = try f.indices("fans").data
        for (i, shape) in try Self.shapes(f).enumerated() {
            let (fanIn, fanOut) = Init.fanInAndFanOut(shape: shape)
            #expect(fanIn == fans[2 * i] && fanOut == fans[2 * i + 1],
                    "\(shape): (\(fanIn), \(fanOut)), PyTorch (\(fans[2 * i]), \(fans[2 * i + 1]))")
        }
    }

    /// The number each initializer hands its random draw — the `b` of
    /// U(−b, b) or the `std` of N(0, std²) — for the fixture's case `name`.
    static func scale(case name: String, shape: [Int], fixture f: Fixture) throws -> Float {
        func has(_ key: String) -> Bool { f.config["\(name).\(key)"] != nil }
        let gain = has("gain") ? try f.float("\(name).gain") : 1
        let a = has("a") ? try f.float("\(name).a") : 0
        let mode = has("mode") ? Init.FanMode(rawValue: try f.string("\(name).mode"))! : .fanIn
        let nonlinearity = has("nonlinearity")
            ? Init.Nonlinearity(rawValue: try f.string("\(name).nonlinearity"))! : .leakyRelu
        let (fanIn, fanOut) = Init.fanInAndFanOut(shape: shape)
        let xavier = Init.xavierStd(fanIn: fanIn, fanOut: fanOut, gain: gain)
        let kaiming = Init.kaimingStd(
            fan: mode == .fanIn ? fanIn : fanOut, gain: Init.calculateGain(nonlinearity, param: a))
        let uniform = name.contains("uniform")
        let std = name.hasPrefix("xavier") ? xavier : kaiming
        return uniform ? Float(3).squareRoot() * std : std
    }

    @Test func boundsAndStdsMatchPyTorch() throws {
        let f = try Fixture.load("init_fans_bounds")
        let shapes = try Self.shapes(f)
        let cases = try f.string("cases").split(separator: ",").map(String.init)
        #expect(cases.count == 12)
        for name in cases {
            let expected = try f.values(name).data
            for (i, shape) in shapes.enumerated() {
                let scale = try Self.scale(case: name, shape: shape, fixture: f)
                #expect(abs(scale - expected[i]) <= 2e-6 * expected[i],
                        "\(name) \(shape): \(scale), PyTorch \(expected[i])")
            }
        }
    }

    /// The drawn values respect PyTorch's bound: every |w| ≤ b, and the
    /// largest of many values comes close to it.
    @Test func drawnValuesReachPyTorchsBounds() throws {
        let f = try Fixture.load("init_fans_bounds")
        let b = try f.values("kaiming_uniform").data[2]     // shape [16, 4], defaults
        let lstmHH = Tensor.zeros([16, 4])
        var largest: Float = 0
        for seed in 0..<50 {
            Init.kaimingUniform(lstmHH, generator: Generator(seed: UInt64(seed)))
            largest = max(largest, lstmHH.scalars.map(abs).max()!)
        }
        #expect(largest <= b && largest > 0.99 * b, "largest |w| \(largest), PyTorch's bound \(b)")
    }

    static func cases(_ f: Fixture) throws -> [String] {
        try f.string("cases").split(separator: ",").map(String.init)
    }

    /// The Householder QR of each fixed matrix against `torch.linalg.qr`, raw:
    /// both use LAPACK's sign choice (β = −sign(x₀)‖x‖), so even the signs agree.
    @Test func householderQRMatchesTorchLinalgQR() throws {
        let f = try Fixture.load("init_orthogonal")
        for name in try Self.cases(f) {
            let a = try f.values("a.\(name)")
            let (rows, cols) = (a.shape[0], a.shape[1])
            let wide = rows < cols
            let input = wide ? Init.transposedMatrix(a.data, rows: rows, cols: cols) : a.data
            let (m, n) = wide ? (cols, rows) : (rows, cols)
            let (q, r) = householderQR(input, rows: m, cols: n)
            assertClose(q, shape: [m, n], try f.values("q.\(name)").data, shape: try f.values("q.\(name)").shape,
                        tolerance: 1e-5, "\(name) Q")
            assertClose(r, shape: [n, n], try f.values("r.\(name)").data, shape: try f.values("r.\(name)").shape,
                        tolerance: 1e-5, "\(name) R")
        }
    }

    /// `orthogonal` from the same Gaussian matrix as PyTorch's
    /// `init.orthogonal_` (its draw replaced by the fixture's `a`): QR, the
    /// sign correction, the transpose for wide shapes, the reshape and the gain.
    @Test func orthogonalMatchesPyTorchForTheSameGaussian() throws {
        let f = try Fixture.load("init_orthogonal")
        for name in try Self.cases(f) {
            let a = try f.values("a.\(name)")
            let shape = try f.indices("shape.\(name)").data
            let gain = try f.float("gain.\(name)")
            let q = Init.orthogonalFactor(of: a.data, rows: a.shape[0], cols: a.shape[1])
            let w = Tensor(q.map { gain * $0 }, shape: shape)
            assertClose(w, try f.tensor("orthogonal.\(name)"), tolerance: 1e-5, "\(name) orthogonal")
        }
    }
}
