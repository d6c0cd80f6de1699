import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Gains, fans, and the Xavier and Kaiming scales, by hand and by the
/// statistics of what the initializers draw. (The numbers PyTorch computes
/// for the same cases are in InitParityTests.)
@Suite struct InitScalingTests {
    @Test func calculateGainTable() {
        let cases: [(Init.Nonlinearity, Float?, Float)] = [
            (.linear, nil, 1), (.conv1d, nil, 1), (.conv2d, nil, 1), (.conv3d, nil, 1),
            (.convTranspose1d, nil, 1), (.convTranspose2d, nil, 1), (.convTranspose3d, nil, 1),
            (.sigmoid, nil, 1), (.tanh, nil, 5.0 / 3), (.relu, nil, root(2.0)),
            (.leakyRelu, nil, root(2 / 1.0001)), (.leakyRelu, 0, root(2.0)),
            (.leakyRelu, 0.2, root(2 / 1.04)), (.leakyRelu, 1, 1), (.selu, nil, 0.75),
            (.tanh, 0.5, 5.0 / 3),   // param is ignored except by leaky_relu
        ]
        for (nonlinearity, param, expected) in cases {
            let gain = Init.calculateGain(nonlinearity, param: param)
            #expect(abs(gain - expected) < 1e-6,
                    "\(nonlinearity) param \(String(describing: param)): \(gain), expected \(expected)")
        }
        #expect(Init.Nonlinearity(rawValue: "leaky_relu") == .leakyRelu)
        #expect(Init.Nonlinearity(rawValue: "conv_transpose2d") == .convTranspose2d)
    }

    @Test func fans() {
        let cases: [([Int], Int, Int)] = [
            ([3, 5], 5, 3),              // a Linear weight [out, in]: fan_in = in
            ([16, 4], 4, 16),            // an LSTM weight_hh [4H, H]
            ([1, 1], 1, 1),
            ([4, 2, 3], 6, 12),          // Conv1d [out, in, k]: each input map once per tap
            ([6, 3, 2, 2], 12, 24),
        ]
        for (shape, fanIn, fanOut) in cases {
            let fans = Init.fanInAndFanOut(shape: shape)
            #expect(fans.fanIn == fanIn && fans.fanOut == fanOut, "\(shape): \(fans)")
            #expect(Init.fan(of: Tensor.zeros(shape), mode: .fanIn) == fanIn)
            #expect(Init.fan(of: Tensor.zeros(shape), mode: .fanOut) == fanOut)
        }
    }

    /// Draws `fill` into a fresh tensor of `shape` for 10 seeds and checks
    /// that every value lies within ±`bound`, that the largest reaches past
    /// 97 % of it (a bound √2 too large or too small fails one of the two),
    /// and that the standard deviation is `bound / √3` within 4 % (5 standard
    /// errors for 2560 values or more).
    func checkUniform(
        _ shape: [Int], bound: Float, sourceLocation: SourceLocation = #_sourceLocation,
        _ fill: (Tensor, Generator) -> Tensor
    ) {
        for seed in 0..<10 {
            let w = fill(Tensor.zeros(shape), Generator(seed: UInt64(seed)))
            let largest = w.scalars.map(abs).max()!
            #expect(largest <= bound && largest > 0.97 * bound,
                    "seed \(seed): largest |w| \(largest), bound \(bound)", sourceLocation: sourceLocation)
            let std = InitTests.moments(w.scalars).std
            #expect(abs(std / (Double(bound) / 3.0.squareRoot()) - 1) < 0.04,
                    "seed \(seed): std \(std), bound \(bound)", sourceLocation: sourceLocation)
        }
    }

    /// As `checkUniform`, for a normal draw: the standard deviation is `std`
    /// within 4 % (5 standard errors for 8192 values) and the mean is 0.
    func checkNormal(
        _ shape: [Int], std expected: Float, sourceLocation: SourceLocation = #_sourceLocation,
        _ fill: (Tensor, Generator) -> Tensor
    ) {
        for seed in 0..<10 {
            let w = fill(Tensor.zeros(shape), Generator(seed: UInt64(seed)))
            let (mean, std) = InitTests.moments(w.scalars)
            #expect(abs(std / Double(expected) - 1) < 0.04, "seed \(seed): std \(std), expected \(expected)",
                    sourceLocation: sourceLocation)
            #expect(abs(mean) < 0.05 * Double(expected), "seed \(seed): mean \(mean)", sourceLocation: sourceLocation)
        }
    }

    @Test func xavier() {
        // [128, 64]: fan_in 64, fan_out 128 → bound √(6/192), std √(2/192).
        checkUniform([128, 64], bound: root(6.0 / 192)) { Init.xavierUniform($0, generator: $1) }
        checkUniform([128, 64], bound: 5.0 / 3 * root(6.0 / 192)) { Init.xavierUniform($0, gain: 5.0 / 3, generator: $1) }
        checkNormal([128, 64], std: root(2.0 / 192)) { Init.xavierNormal($0, generator: $1) }
        checkNormal([128, 64], std: 2 * root(2.0 / 192)) { Init.xavierNormal($0, gain: 2, generator: $1) }
        // [64, 8, 5]: fan_in 8·5 = 40, fan_out 64·5 = 320 → bound √(6/360).
        checkUniform([64, 8, 5], bound: root(6.0 / 360)) { Init.xavierUniform($0, generator: $1) }
        #expect(abs(Init.xavierStd(fanIn: 32, fanOut: 64, gain: 3) - 3 * root(2.0 / 96)) < 1e-6)
    }

    @Test func kaiming() {
        // [128, 64]: fan_in 64, fan_out 128.
        // Defaults (a = 0, leaky_relu → gain √2, fan_in): bound √2 · √(3/64).
        checkUniform([128, 64], bound: root(2.0) * root(3.0 / 64)) {
            Init.kaimingUniform($0, generator: $1)
        }
        checkUniform([128, 64], bound: root(2.0) * root(3.0 / 128)) {
            Init.kaimingUniform($0, mode: .fanOut, nonlinearity: .relu, generator: $1)
        }
        // a = √5 (what nn.Linear uses): gain √(2/6), bound 1/√fan_in, Linear's own bound.
        checkUniform([128, 64], bound: 1 / root(64.0)) {
            Init.kaimingUniform($0, a: root(5.0), generator: $1)
        }
        checkUniform([128, 64], bound: 5.0 / 3 * root(3.0 / 64)) {
            Init.kaimingUniform($0, nonlinearity: .tanh, generator: $1)
        }
        // [64, 8, 5]: fan_in 40.
        checkUniform([64, 8, 5], bound: root(2.0) * root(3.0 / 40)) {
            Init.kaimingUniform($0, generator: $1)
        }
        checkNormal([128, 64], std: root(2.0) / root(64.0)) { Init.kaimingNormal($0, generator: $1) }
        checkNormal([128, 64], std: root(2 / 1.04) / root(128.0)) {
            Init.kaimingNormal($0, a: 0.2, mode: .fanOut, generator: $1)
        }
        checkNormal([128, 64], std: 1 / root(64.0)) {
            Init.kaimingNormal($0, nonlinearity: .linear, generator: $1)
        }
        #expect(abs(Init.kaimingStd(fan: 50, gain: 2) - 2 / root(50.0)) < 1e-6)
    }

    @Test func zeroElementTensorsAreLeftAlone() {
        #expect(Init.kaimingUniform(Tensor.zeros([0, 3])).shape == [0, 3])
        #expect(Init.kaimingNormal(Tensor.zeros([0])).shape == [0])   // PyTorch returns before the fan check
        #expect(Init.xavierUniform(Tensor.zeros([0, 3])).shape == [0, 3])
        #expect(Init.orthogonal(Tensor.zeros([3, 0])).shape == [3, 0])
    }
}

/// √x in `Float`, so the expected values read like the formulas.
private func root(_ x: Float) -> Float { x.squareRoot() }
