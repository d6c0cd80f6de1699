import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Householder QR and orthogonal initialization: orthonormality, the sign
/// convention, the gain, the per-gate blocks of an LSTM's `weight_hh`, and
/// the distribution over seeds. (Against PyTorch: InitParityTests.)
@Suite struct OrthogonalTests {
    /// The `n × n` identity times `scale`.
    static func eye(_ n: Int, scale: Float = 1) -> Tensor {
        var values = [Float](repeating: 0, count: n * n)
        for i in 0..<n { values[i * n + i] = scale }
        return Tensor(values, shape: [n, n])
    }

    /// Records an issue unless `w` (2-D) has orthonormal columns (tall or
    /// square) or rows (wide), times `gain`: `wᵀw = gain² I` or `w wᵀ = gain² I`.
    static func expectOrthogonal(
        _ w: Tensor, gain: Float = 1, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (rows, cols) = (w.shape[0], w.shape[1])
        let gram = rows >= cols ? w.transposed().matmul(w) : w.matmul(w.transposed())
        assertClose(gram, eye(min(rows, cols), scale: gain * gain), tolerance: 1e-5, what, sourceLocation: sourceLocation)
    }

    /// A hand-computed QR: column 0 of A is 5·(0.6, 0.8, 0), column 1 is
    /// 5·(0.6, 0.8, 0) + 2·(0, 0, 1), so with R's diagonal positive
    /// Q = [[0.6, 0], [0.8, 0], [0, 1]] and R = [[5, 5], [0, 2]].
    @Test func householderQRByHand() {
        let a: [Float] = [3, 3, 4, 4, 0, 2]
        let (q, r) = householderQR(a, rows: 3, cols: 2)
        // LAPACK's signs: the first reflection sends (3, 4, 0) to β e₁ with
        // β = −sign(3)·5 = −5, so R₀₀ = −5 and Q's column 0 is −(0.6, 0.8, 0).
        #expect(abs(r[0] + 5) < 1e-6, "R₀₀ \(r[0]), expected −5 (β opposite to x₀)")
        assertClose(Tensor(q, shape: [3, 2]).matmul(Tensor(r, shape: [2, 2])), Tensor(a, shape: [3, 2]), "Q R = A")
        #expect(r[2] == 0, "R is upper triangular")
        let fixed = Init.orthogonalFactor(of: a, rows: 3, cols: 2)
        assertClose(fixed, [0.6, 0, 0.8, 0, 0, 1], "Q with the sign correction")
    }

    /// With the sign correction, `R = Qᵀ A` has a positive diagonal, so
    /// `Q` is a function of `A` alone; column 0 is `A`'s column 0 normalized.
    @Test(arguments: [(6, 6), (9, 4), (4, 9), (1, 5), (5, 1)])
    func signConvention(rows: Int, cols: Int) {
        for seed in 0..<10 {
            let a = Tensor.normal([rows, cols], generator: Generator(seed: UInt64(seed)))
            let q = Tensor(Init.orthogonalFactor(of: a.scalars, rows: rows, cols: cols), shape: [rows, cols])
            // Tall: A = Q R, R = Qᵀ A. Wide: Aᵀ = Qᵀ-factor R, i.e. R = Q Aᵀ.
            let r = rows >= cols ? q.transposed().matmul(a) : q.matmul(a.transposed())
            let k = min(rows, cols), n = r.shape[1]
            for i in 0..<k {
                #expect(r.scalars[i * n + i] > 0, "seed \(seed): R[\(i), \(i)] = \(r.scalars[i * n + i])")
                for j in 0..<i { #expect(abs(r.scalars[i * n + j]) < 1e-4, "seed \(seed): R[\(i), \(j)] below the diagonal") }
            }
            let column0 = rows >= cols ? (0..<rows).map { a.scalars[$0 * cols] } : Array(a.scalars[0..<cols])
            let norm = column0.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let q0 = rows >= cols ? (0..<rows).map { q.scalars[$0 * cols] } : Array(q.scalars[0..<cols])
            assertClose(q0, column0.map { $0 / norm }, tolerance: 1e-5, "seed \(seed): Q's first vector")
        }
    }

    @Test(arguments: [[8, 8], [12, 5], [5, 12], [4, 3, 2], [6, 2, 2, 2], [1, 1], [3, 1]])
    func orthonormal(shape: [Int]) {
        for seed in 0..<5 {
            let w = Init.orthogonal(Tensor.zeros(shape), generator: Generator(seed: UInt64(seed)))
            #expect(w.shape == shape)
            Self.expectOrthogonal(w.reshaped(to: [shape[0], -1]), "\(shape) seed \(seed)")
        }
    }

    /// Hard inputs stay orthonormal: a column nearly parallel to e₁ (where
    /// the other sign of β would cancel), columns of very different scales,
    /// a repeated column and the zero matrix (rank-deficient: R has zeros on
    /// its diagonal, Q is still orthonormal; the zero matrix gives Q = I).
    @Test func hardMatrices() {
        let cases: [(String, [Float], Int, Int)] = [
            ("nearly e₁", [1, 2, 1e-7, 1, -1e-7, 3], 3, 2),
            ("nearly −e₁", [-1, 2, 1e-7, 1, 1e-8, 3], 3, 2),
            ("scales", [1e-30, 1e30, 3, 2e-30, -1e30, 1, 0, 1e29, 2], 3, 3),
            ("repeated column", [1, 1, 2, 2, 3, 3], 3, 2),
            ("zero", [Float](repeating: 0, count: 12), 4, 3),
        ]
        for (name, a, rows, cols) in cases {
            let q = Tensor(Init.orthogonalFactor(of: a, rows: rows, cols: cols), shape: [rows, cols])
            #expect(q.scalars.allSatisfy { $0.isFinite }, "\(name): finite")
            Self.expectOrthogonal(q, name)
            let (qRaw, r) = householderQR(a, rows: rows, cols: cols)
            let product = Tensor(qRaw, shape: [rows, cols]).matmul(Tensor(r, shape: [cols, cols]))
            let scale = a.map(abs).max()!
            assertClose(product.scalars.map { $0 / max(scale, 1) }, a.map { $0 / max(scale, 1) },
                        tolerance: 1e-6, "\(name): Q R = A")
        }
        assertClose(Init.orthogonalFactor(of: [Float](repeating: 0, count: 9), rows: 3, cols: 3),
                    Self.eye(3).scalars, "zero matrix → I")
    }

    @Test func gainScales() {
        let plain = Init.orthogonal(Tensor.zeros([6, 4]), generator: Generator(seed: 2))
        let scaled = Init.orthogonal(Tensor.zeros([6, 4]), gain: 1.5, generator: Generator(seed: 2))
        assertClose(scaled, plain * 1.5, "gain 1.5 scales the same Q")
        Self.expectOrthogonal(scaled, gain: 1.5, "gain 1.5")
    }

    /// `orthogonal` draws `rows · cols` normals in row-major order and
    /// returns `orthogonalFactor` of them.
    @Test func drawsThenFactors() {
        let w = Init.orthogonal(Tensor.zeros([3, 2, 2]), generator: Generator(seed: 8))
        let a = Tensor.normal([3, 4], generator: Generator(seed: 8))
        assertClose(w.scalars, Init.orthogonalFactor(of: a.scalars, rows: 3, cols: 4), "orthogonal = factor of the draw")
        #expect(Init.orthogonal(Tensor.zeros([5, 5]), generator: Generator(seed: 1)).scalars
            == Init.orthogonal(Tensor.zeros([5, 5]), generator: Generator(seed: 1)).scalars)
    }

    /// Over seeds, Q is Haar-distributed: each entry is symmetric about 0
    /// with variance 1/n. Without the sign correction Householder's Q has
    /// Q₀₀ = −sign(A₀₀)·|A₀₀|/‖A₀‖ ≤ 0 always, which this test rejects.
    @Test func distributionOverSeeds() {
        let n = 6, seeds = 400
        var positive = [Int](repeating: 0, count: n)
        var sumSquares: Double = 0
        for seed in 0..<seeds {
            let w = Init.orthogonal(Tensor.zeros([n, n]), generator: Generator(seed: UInt64(seed))).scalars
            for i in 0..<n where w[i * n + i] > 0 { positive[i] += 1 }
            sumSquares += Double(w[0] * w[0])
        }
        for i in 0..<n {
            // Binomial(400, ½): the standard deviation is 10.
            #expect(abs(positive[i] - seeds / 2) < 50, "Q[\(i), \(i)] positive in \(positive[i]) of \(seeds) seeds")
        }
        // E[Q₀₀²] = 1/n; Q₀₀² ~ Beta(½, (n−1)/2) has std ≈ 0.19 / …, so 400 seeds give ±0.01.
        #expect(abs(sumSquares / Double(seeds) - 1 / Double(n)) < 0.04, "mean Q₀₀² \(sumSquares / Double(seeds))")
    }

    @Test func perGateBlocks() {
        let cell = LSTMCell(inputSize: 3, hiddenSize: 5, generator: Generator(seed: 0))
        let weightIH = cell.weightIH.scalars
        Init.orthogonalPerGate(cell.weightHH, gain: 1.2, generator: Generator(seed: 3))
        #expect(cell.weightHH.shape == [20, 5])
        for (gate, block) in cell.weightHH.chunked(into: 4, dim: 0).enumerated() {
            Self.expectOrthogonal(block, gain: 1.2, "gate \(["i", "f", "g", "o"][gate])")
        }
        // Four stacked orthogonal blocks: WᵀW = 4 · gain² I, so W itself is not orthogonal.
        assertClose(cell.weightHH.transposed().matmul(cell.weightHH), Self.eye(5, scale: 4 * 1.44), tolerance: 1e-4, "WᵀW")
        #expect(cell.weightIH.scalars == weightIH, "weight_ih untouched")
        // Each block is drawn in turn: block 0 is what orthogonal draws first.
        let first = Init.orthogonal(Tensor.zeros([5, 5]), gain: 1.2, generator: Generator(seed: 3))
        assertClose(cell.weightHH.chunked(into: 4, dim: 0)[0], first, "block i")
        // A GRU-shaped [3H, H] weight.
        let gru = Init.orthogonalPerGate(Tensor.zeros([12, 4]), gates: 3, generator: Generator(seed: 1))
        for block in gru.chunked(into: 3, dim: 0) { Self.expectOrthogonal(block, "GRU block") }
    }

    @Test func recurrentWeightsOfAnLSTM() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: Generator(seed: 0))
        let before = Dictionary(uniqueKeysWithValues: lstm.namedParameters().map { ($0.name, $0.tensor.scalars) })
        let filled = Init.orthogonalRecurrentWeights(of: lstm, generator: Generator(seed: 5))
        #expect(filled == ["weight_hh_l0", "weight_hh_l0_reverse", "weight_hh_l1", "weight_hh_l1_reverse"])
        for (name, tensor) in lstm.namedParameters() {
            if filled.contains(name) {
                for block in tensor.chunked(into: 4, dim: 0) { Self.expectOrthogonal(block, name) }
            } else {
                #expect(tensor.scalars == before[name], "\(name) untouched")
            }
        }
        let cell = LSTMCell(inputSize: 2, hiddenSize: 3, generator: Generator(seed: 0))
        #expect(Init.orthogonalRecurrentWeights(of: cell) == ["weight_hh"])
    }
}
