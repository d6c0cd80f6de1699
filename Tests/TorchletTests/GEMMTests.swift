import Foundation
import Testing
import TestSupport
@testable import Torchlet
import TorchletWide

/// The fast GEMM against the plain triple loop, on edge sizes, with
/// transposed strides and accumulation: rows around the kernels' heights
/// (6 and its 4- and 2-row edge kernels; 4 and 2 with NEON) and the
/// 96-row cache block, columns around the 16-, 32- and 64-wide panels
/// (AVX-512 packs 64 wide unless narrow panels pad less, as for 32, 96
/// and 160 columns), `k` across the 256 cache block, and more column
/// panels than one group (`GEMM.panelsPerGroup`).
@Suite struct GEMMTests {
    static let sizes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (6, 16, 8), (7, 17, 3), (5, 15, 300), (32, 512, 128), (97, 33, 257), (13, 1, 600), (2, 40, 0),
        (12, 32, 16), (11, 31, 9), (25, 33, 40), (3, 65, 7), (9, 48, 513), (23, 20, 1030), (109, 47, 33),
        (192, 64, 5), (4, 8, 2), (109, 300, 520), (30, 1100, 300), (13, 64, 300), (7, 65, 40), (20, 96, 30),
        (31, 352, 260), (50, 129, 7), (8, 160, 3),
    ]

    @Test(arguments: sizes.indices)
    func multiplyMatchesReference(index: Int) {
        let (m, n, k) = Self.sizes[index]
        let g = Generator(seed: UInt64(index))
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let expected = GEMM.referenceMultiply(a, b, m: m, n: n, k: k)
        assertClose(MatrixMultiply.matmul(a, b, n: m, k: k, m: n), expected, tolerance: 1e-4, "A·B \(m)×\(k)×\(n)")
        // Aᵀ and Bᵀ given as transposed storage.
        let aT = Init.transposedMatrix(a, rows: m, cols: k), bT = Init.transposedMatrix(b, rows: k, cols: n)
        assertClose(MatrixMultiply.matmul(aT, b, n: m, k: k, m: n, transposeA: true), expected, tolerance: 1e-4, "Aᵀᵀ·B")
        assertClose(MatrixMultiply.matmul(a, bT, n: m, k: k, m: n, transposeB: true), expected, tolerance: 1e-4, "A·Bᵀᵀ")
    }

    /// `Aᵀ` stored transposed gives the same bits as `A` stored as it is:
    /// each value is the same multiply-adds in the same order whether the
    /// kernel reads `A` in place or from tiles it copied (with 6 panels or
    /// more, `GEMM.minimumPanelsToCopyA`), and whether it runs the `kc`
    /// blocks tile by tile (`A` in place with a large `C`, as 725 × 1,600,
    /// see `GEMM.multiplyTileByTile`; `k` = 2,100 in two spans) or block by
    /// block (`A` copied); with six-row tiles (AVX2), edges whose last
    /// whole tile lends it two rows (`GEMM.edgeRows`), one at the end of a
    /// 96-row cache block and run tile by tile (386 × 1,400).
    @Test(arguments: [(100, 600, 530), (13, 256, 40), (40, 600, 300), (100, 70, 300), (725, 1600, 300),
                      (725, 1600, 2100), (97, 600, 300), (386, 1400, 300)])
    func transposedAGivesTheSameBits(m: Int, n: Int, k: Int) {
        let g = Generator(seed: 9)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let aT = Init.transposedMatrix(a, rows: m, cols: k)
        let plain = MatrixMultiply.matmul(a, b, n: m, k: k, m: n)
        let transposed = MatrixMultiply.matmul(aT, b, n: m, k: k, m: n, transposeA: true)
        let differing = zip(plain, transposed).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(plain.count) values differ for \(m)×\(k)×\(n)")
    }

    /// Two products with one transposed `A`, computed as one over the two
    /// `B`s side by side (`MatrixMultiply.transposedProducts`, an LSTM's
    /// weight gradients), give the same bits as two `matmul`s: widths that
    /// end in partial panels, `k` across the cache block, and enough panels
    /// together to copy `A` into tiles.
    @Test(arguments: [(n: 30, k: 300, m1: 5, m2: 37), (n: 512, k: 1600, m1: 64, m2: 128), (n: 13, k: 7, m1: 40, m2: 1),
                      (n: 100, k: 260, m1: 200, m2: 90), (n: 70, k: 300, m1: 32, m2: 64), (n: 40, k: 50, m1: 100, m2: 256)])
    func transposedProductsEqualTwoProducts(n: Int, k: Int, m1: Int, m2: Int) {
        let g = Generator(seed: 4)
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in g.nextNormal() } }
        let a = values(k * n), b1 = values(k * m1), b2 = values(k * m2)
        let (c1, c2) = MatrixMultiply.transposedProducts(a, b1, b2, n: n, k: k, m1: m1, m2: m2)
        let (one, two) = (MatrixMultiply.matmul(a, b1, n: n, k: k, m: m1, transposeA: true),
                          MatrixMultiply.matmul(a, b2, n: n, k: k, m: m2, transposeA: true))
        for (name, (joint, alone)) in [("Aᵀ·B₁", (c1, one)), ("Aᵀ·B₂", (c2, two))] {
            let differing = zip(joint, alone).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(joint.count == alone.count && differing == 0,
                    "\(name): \(differing) of \(alone.count) values differ for n \(n), k \(k), m \(m1), \(m2)")
        }
    }

    /// A large `B` is packed on several threads, each taking a range of
    /// panels: the same buffer as on one thread, row-major or transposed,
    /// with a partial last panel.
    @Test(arguments: [(k: 600, n: 1000), (k: 1030, n: 519)])
    func packingOnThreadsEqualsPackingOnOne(k: Int, n: Int) {
        let g = Generator(seed: 5)
        let b = (0..<(k * n)).map { _ in g.nextNormal() }
        #expect(k * n >= 2 * GEMM.minimumPackPerThread, "large enough to split")
        for (rowStride, columnStride) in [(n, 1), (1, k)] {
            let one = b.withUnsafeBufferPointer {
                GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: rowStride, columnStride: columnStride, threads: 1)
            }
            for threads in [2, 3] {
                let several = b.withUnsafeBufferPointer {
                    GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: rowStride, columnStride: columnStride,
                                threads: threads, perform: Parallelism.perform)
                }
                // The panels start after a header whose length depends on the buffer's alignment.
                #expect(Array(one[Int(one[0])...].prefix(GEMM.packedCount(k: k, n: n) - GEMM.headerCount))
                        == Array(several[Int(several[0])...].prefix(GEMM.packedCount(k: k, n: n) - GEMM.headerCount)),
                        "strides \(rowStride), \(columnStride) on \(threads) threads")
            }
        }
    }

    /// Packing `B` inside the product, each thread the panels it
    /// multiplies (`GEMM.multiply(…b:scratch:…)`), gives the bits of
    /// packing first and multiplying on one thread: row-major and
    /// transposed `B`, a partial last panel, `k` across the cache block,
    /// accumulating into `C`, and a tall product (split by rows, packed
    /// first).
    @Test(arguments: [(m: 40, n: 1000, k: 500), (m: 26, n: 519, k: 1030), (m: 700, n: 100, k: 200)])
    func packingInsideTheProductGivesTheSameBits(m: Int, n: Int, k: Int) {
        let g = Generator(seed: 6)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let c0 = (0..<(m * n)).map { _ in g.nextNormal() }
        #expect(m * n * k >= 2 * GEMM.minimumWorkPerThread, "large enough to split")
        for (rowStride, columnStride) in [(n, 1), (1, k)] {
            var expected = c0
            let packedB = b.withUnsafeBufferPointer {
                GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: rowStride, columnStride: columnStride)
            }
            packedB.withUnsafeBufferPointer { packedB in
                GEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: k, aColumnStride: 1, packedB: packedB.baseAddress!,
                              c: &expected, ldc: n, accumulate: true)
            }
            for threads in [1, 2, 3] {
                var c = c0
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: GEMM.packedCount(k: k, n: n))
                defer { scratch.deallocate() }
                b.withUnsafeBufferPointer { b in
                    GEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: k, aColumnStride: 1,
                                  b: GEMM.Operand(b: b.baseAddress!, n: n, rowStride: rowStride, columnStride: columnStride),
                                  scratch: scratch, c: &c, ldc: n, accumulate: true, threads: threads,
                                  perform: Parallelism.perform)
                }
                let differing = zip(c, expected).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(differing) of \(c.count) values differ: \(m)×\(k)×\(n), strides \(rowStride), \(columnStride), \(threads) threads")
            }
        }
    }

    /// AVX-512 packs wide panels (64 columns) unless narrow ones (32) pad
    /// the matrices side by side to less than 8/9 of the columns, and a
    /// packed buffer records its width for the product.
    @Test(.needsWideKernel) func widePanelsUnlessNarrowOnesPadLess() throws {
        let expected: [([Int], Int)] = [([64], 64), ([512], 64), ([10_000], 64), ([352], 64), ([64, 128], 64),
                                        ([288], 64), ([1], 32), ([32], 32), ([96], 32), ([160], 32), ([224], 32), ([32, 64], 32)]
        for (columns, width) in expected {
            #expect(WideGEMM.panelWidth(columns: columns) == width, "columns \(columns)")
        }
        for n in [32, 64] {
            let b = [Float](repeating: 1, count: 3 * n)
            let packed = b.withUnsafeBufferPointer {
                WideGEMM.packed($0.baseAddress!, k: 3, n: n, rowStride: n, columnStride: 1, threads: 1,
                                perform: { count, piece in for i in 0..<count { piece(i) } })
            }
            #expect(packed.withUnsafeBufferPointer { WideGEMM.panelWidth(of: $0.baseAddress!) } == n)
        }
        #expect(GEMM.panelWidth(columns: [64]) == GEMM.nr, "the portable build has narrow panels only")
    }

    /// A buffer packed by the AVX-512 build, in 64-column panels, given to
    /// the portable build's product stops with a message that says so,
    /// instead of reading its panels at the wrong offsets.
    @Test(.needsWideKernel) func aBufferFromTheOtherBuildStops() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let b = [Float](repeating: 1, count: 4 * 64), a = [Float](repeating: 1, count: 4)
            let packed = b.withUnsafeBufferPointer {
                WideGEMM.packed($0.baseAddress!, k: 4, n: 64, rowStride: 64, columnStride: 1, threads: 1,
                                perform: { count, piece in for i in 0..<count { piece(i) } })
            }
            var c = [Float](repeating: 0, count: 64)
            packed.withUnsafeBufferPointer { p in
                GEMM.multiply(m: 1, n: 64, k: 4, a: a, aRowStride: 4, aColumnStride: 1, packedB: p.baseAddress!, c: &c,
                              ldc: 64, accumulate: false)
            }
        }
        expectStandardError(result, contains: ["B was packed in 64-column panels"])
    }

    @Test func accumulateAddsToC() {
        let (m, n, k) = (7, 19, 5)
        let g = Generator(seed: 9)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        var c = (0..<(m * n)).map { _ in g.nextNormal() }
        let expected = zip(c, GEMM.referenceMultiply(a, b, m: m, n: n, k: k)).map { $0 + $1 }
        let packed = b.withUnsafeBufferPointer { GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: n, columnStride: 1) }
        a.withUnsafeBufferPointer { a in
            packed.withUnsafeBufferPointer { p in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                  packedB: p.baseAddress!, c: c.baseAddress!, ldc: n, accumulate: true)
                }
            }
        }
        assertClose(c, expected, tolerance: 1e-5, "C + A·B")
    }
}

/// The vector exp, sigmoid and tanh against the C library's.
@Suite struct VectorMathTests {
    @Test func agreesWithScalarFunctions() {
        var worst: (exp: Float, sigmoid: Float, tanh: Float) = (0, 0, 0)
        let g = Generator(seed: 1)
        for step in 0..<4_000 {
            let x = SIMD8<Float>((0..<8).map { _ in step < 100 ? g.nextUniform(low: -100, high: 100) : 12 * g.nextNormal() })
            let e = VectorMath.exp(x), s = VectorMath.sigmoid(x), t = VectorMath.tanh(x)
            for i in 0..<8 where abs(x[i]) < 87 {
                let exact = Foundation.exp(Double(x[i]))
                worst.exp = max(worst.exp, Float(abs(Double(e[i]) - exact) / exact))
            }
            for i in 0..<8 {
                worst.sigmoid = max(worst.sigmoid, abs(s[i] - stableSigmoid(x[i])))
                worst.tanh = max(worst.tanh, abs(t[i] - Foundation.tanh(x[i])))
            }
        }
        #expect(worst.exp < 1e-6, "exp relative error \(worst.exp)")
        #expect(worst.sigmoid < 1e-6, "sigmoid error \(worst.sigmoid)")
        #expect(worst.tanh < 1e-6, "tanh error \(worst.tanh)")
    }

    @Test func saturatesWithoutNaN() {
        let x = SIMD8<Float>(-1e30, -1000, -88, -87, 87, 88, 1000, 1e30)
        let s = VectorMath.sigmoid(x), t = VectorMath.tanh(x)
        for i in 0..<8 {
            #expect(s[i].isFinite && s[i] >= 0 && s[i] <= 1)
            #expect(t[i].isFinite && t[i] >= -1 && t[i] <= 1)
        }
        #expect(s[0] < 1e-30 && s[7] == 1 && t[0] == -1 && t[7] == 1)
    }
}

/// The portable (AVX2) build of the kernel, called directly, so both
/// builds are tested in one run on an AVX-512 machine.
@Suite struct PortableGEMMTests {
    @Test(arguments: GEMMTests.sizes.indices)
    func portableMatchesReference(index: Int) {
        let (m, n, k) = GEMMTests.sizes[index]
        let g = Generator(seed: UInt64(200 + index))
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let packed = b.withUnsafeBufferPointer { GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: n, columnStride: 1) }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in
            packed.withUnsafeBufferPointer { p in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                  packedB: p.baseAddress!, c: c.baseAddress!, ldc: n, accumulate: false)
                }
            }
        }
        assertClose(c, GEMM.referenceMultiply(a, b, m: m, n: n, k: k), tolerance: 1e-4, "portable A·B \(m)×\(k)×\(n)")
    }

    /// The packed buffer records where its aligned panels start, so a copy
    /// at another alignment (4 bytes further) still multiplies right.
    @Test func packedCopyAtOtherAlignment() {
        let (m, n, k) = (13, 40, 21)
        let g = Generator(seed: 11)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let packed = b.withUnsafeBufferPointer { GEMM.packed($0.baseAddress!, k: k, n: n, rowStride: n, columnStride: 1) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (packed.count + 16) * 4, alignment: 64)
        defer { raw.deallocate() }
        var c = [Float](repeating: .nan, count: m * n)
        for shift in [1, 2, 3, 4, 8] {
            let copy = (raw + 4 * shift).bindMemory(to: Float.self, capacity: packed.count)
            for i in packed.indices { copy[i] = packed[i] }
            a.withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                  packedB: copy, c: c.baseAddress!, ldc: n, accumulate: false)
                }
            }
            assertClose(c, GEMM.referenceMultiply(a, b, m: m, n: n, k: k), tolerance: 1e-4, "copy shifted \(shift) floats")
        }
    }
}

/// The AVX-512 build of the GEMM, where this CPU runs it, against the
/// reference, on the same edge sizes.
@Suite struct WideGEMMTests {
    @Test(.needsWideKernel, arguments: GEMMTests.sizes.indices)
    func wideMatchesReference(index: Int) throws {
        let (m, n, k) = GEMMTests.sizes[index]
        let g = Generator(seed: UInt64(100 + index))
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let packed = b.withUnsafeBufferPointer {
            WideGEMM.packed($0.baseAddress!, k: k, n: n, rowStride: n, columnStride: 1, threads: 2, perform: Parallelism.perform)
        }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in
            packed.withUnsafeBufferPointer { p in
                c.withUnsafeMutableBufferPointer { c in
                    WideGEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                      packedB: p.baseAddress!, c: c.baseAddress!, ldc: n, accumulate: false, threads: 2,
                                      perform: Parallelism.perform)
                }
            }
        }
        assertClose(c, GEMM.referenceMultiply(a, b, m: m, n: n, k: k), tolerance: 1e-4, "wide A·B \(m)×\(k)×\(n)")
    }
}
