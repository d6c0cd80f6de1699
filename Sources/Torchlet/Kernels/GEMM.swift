import CacheHints
import Dispatch

/// The fast matrix product every layer runs on: `C (+)= A · B` with a
/// register-blocked SIMD micro-kernel over packed panels of `B`.
///
/// Why it is shaped this way (the classic Goto/BLIS design, in small):
/// - **Packed panels.** `B` is copied once into panels of 16 columns (two
///   AVX2 vectors; with AVX-512 64, or 32 for a narrow `B`, see
///   `panelWidth(columns:)`), each stored `[k][width]` contiguously (the
///   last panel zero-padded) and starting on a 64-byte boundary (see
///   `headerCount`), so the micro-kernel reads `B` with unit stride in
///   whole cache lines. A layer that multiplies by the same weight at
///   every time step packs it once per sequence.
/// - **Register blocking.** The micro-kernel keeps an `mr` × width block
///   of `C` in SIMD registers and, for each `p`, loads the panel's vectors
///   of `B`, then broadcasts one value per row of `A` and multiplies. Two
///   FMA units with a 4-cycle latency need at least 8 independent
///   accumulators; a squarer block also means fewer loads per
///   multiply-add. AVX-512: 6 × 64, in 24 of its 32 registers + 4 for `B`
///   + 1 for the broadcast, 39 instructions per 24 multiply-adds (see
///   `block` for why not 12 × 32, used before). AVX2: 6 × 16,
///   12 of its 16 registers + 2 for `B` + 1 for the broadcast (BLIS's
///   shape for Haswell): two FMA units with a 5-cycle latency (Haswell,
///   Zen 2) need ten accumulators, so the 4 × 16 kernel used before, with
///   eight, could not pass 80% of the peak there. Measured on an AVX-512
///   Xeon with the portable kernel forced (`TORCHLET_GEMM=portable`),
///   against 4 × 16: the kernel alone 0.83–1.06 of the AVX2 peak against
///   0.70–0.81 (4 alternating rounds), 0.84–1.06 against 0.64–0.81 with
///   both cores busy; 256³ and 512³ in one process, one and two threads,
///   the fastest tenth of 300 rounds 0.88–0.97× the time in 8 of 10
///   comparisons (1.17 and 1.21 in one noisy round); whole runs, the two
///   binaries in lockstep (median ratio, 21–41 turns): at one thread
///   `lstm_large` 0.95–0.96, `lm_step` 0.93–0.99, `lstm_dense` 0.98–1.04,
///   products 0.92–1.05; at two threads `lstm_large` and `lm_step`
///   0.98–1.00, but 256³ and 512³ 1.04–1.13 in every run. A batch whose
///   size leaves one or two rows over runs them with rows lent from the
///   last whole tile (see `edgeRows`). NEON keeps 4 × 16 (not measured
///   there). All run from one source, `block`, compiled per height and
///   panel width; the generated loops were checked for spills with objdump.
/// - **A read in place.** The kernel reads `A`'s rows through two
///   pointers (rows 0 and 3) and the row stride, not `mr` row pointers,
///   which is what made an earlier 6-row AVX2 kernel spill (see
///   `TileLayout`).
///   Copying `A` into tiles (as BLIS does) measured slower here: the scalar
///   copy costs about a cycle per element, 6–12% of a 256³ product. Tried
///   again on the AMD EPYC (Zen 3) with the copy vectorized (8 × 6
///   transposes, once per block of rows and group of panels): 256³ and
///   512³ took 1.03–1.04× the time, 1,024³ 1.26× (it also gave up
///   `multiplyTileByTile`), both in one process, alternating, median of 20.
///   In place, the tile's rows are six streams the hardware prefetches
///   well: rows 4,096 bytes apart, all in one L1 set, ran no slower than
///   rows padded to 4,160 (0.98×). The
///   shorter kernels (4 or 2 rows) run a partial last tile of rows, in
///   place when it has their height, else copied and zero-padded (see
///   `edgeRows`); a transposed `A` is copied into tiles when many panels
///   reuse it (see `multiply(panels:…)`).
/// - **Cache blocking.** `k` is cut into blocks of `kc` = 256 and the rows
///   into blocks of `mc` = 96: the `[kc][width]` slice of a panel (16–64
///   KB) is reused for every tile of the block while the block's rows of
///   `A` (`mc` · `kc`, 96 KB) stay in L2, which every x86-64 CPU since 2013
///   has (256 KB–2 MB). A larger `kc` means fewer passes that re-read and
///   re-write all of `C` (512 measured 5–10% faster than 256 on a 1024³
///   product in separate runs, but only 0.94–1.04× the time in one process,
///   alternating, on 1024³ and an LSTM's gradients; 1024 no faster; `mc`
///   from 48 to 384 made no measurable difference), and each block's sum
///   is added to `C` separately, so `kc` decides the rounding of every
///   product with `k` > 256: 512 changed the recorded results of Days 5
///   and 7–10. It stays 256. When `k` spans several blocks, the panels are
///   also taken in groups of 16 narrow panels' worth of columns
///   (`panelsPerGroup`), so that a wide `B`'s `kc` block stays in L2 (see
///   `multiply(panels:…)`). (Groups sized to the AMD EPYC's 512 KB L2, 8
///   panels: a 512³ product alone 0.97× the time, quartiles 0.93–1.00;
///   4 panels 0.93×; but whole runs, the
///   two binaries in lockstep, 21 turns: `gemm_512` 1.08×, `lm_step`
///   1.06×, so not kept.) With a large `C`
///   (2 MB or more), each tile of `C` runs all its `kc` blocks back to
///   back instead, so it stays in L1 between them rather than making a
///   round trip to memory per block (`multiplyTileByTile`).
/// - **Strides, not copies, for transposes.** `A`'s element `(i, p)` is at
///   `a[i · rowStride + p · columnStride]`, so `Aᵀ · B` (every weight
///   gradient) needs no transposed copy.
///
/// Every element of `C` is the same sequence of operations (one fused
/// multiply-add per `p`, in order, per `kc` block) whatever tile it is in,
/// so the result does not depend on the edges or the thread count.
///
/// `referenceMultiply` is the plain triple loop the tests compare it with.
///
/// This file is compiled twice: here for the portable target (AVX2 on
/// x86-64), and through a symbolic link in `TorchletWide` for AVX-512 with
/// sixteen-wide vectors; `MatrixMultiply` picks one at run time. So it uses
/// nothing else from Torchlet.
enum GEMM {
    /// The SIMD vector of the micro-kernel: eight floats (AVX2, NEON), or
    /// sixteen in a build for a CPU with AVX-512 (`TORCHLET_CPU=native`,
    /// see Package.swift).
    #if TORCHLET_WIDE_SIMD
    typealias Vector = SIMD16<Float>
    #else
    typealias Vector = SIMD8<Float>
    #endif
    /// Rows of `C` per micro-kernel call (see the register blocking above).
    #if arch(x86_64)
    static let mr = 6
    #else
    static let mr = 4
    #endif
    /// Columns of a narrow panel, two vectors: every build has them.
    static let nr = 2 * Vector.scalarCount
    /// Whether this build also packs wide panels, four vectors (see
    /// `WidePanel`): only AVX-512 has the registers for their accumulators.
    #if TORCHLET_WIDE_SIMD
    static let hasWidePanels = true
    #else
    static let hasWidePanels = false
    #endif
    /// Columns of `A` (rows of `B`) per cache block.
    static let kc = 256
    /// Rows of `A` per cache block (a multiple of `mr`: 6 and 4).
    static let mc = 96

    /// The number of floats `packB` writes for a `[k, n]` matrix: the
    /// panels and a header of `headerCount`.
    static func packedCount(k: Int, n: Int) -> Int {
        packedCount(k: k, n: n, width: panelWidth(columns: CollectionOfOne(n)))
    }

    /// The number of floats of a packed buffer with `n` columns in panels
    /// of `width`.
    static func packedCount(k: Int, n: Int, width: Int) -> Int {
        headerCount + ((n + width - 1) / width) * width * k
    }

    /// The panel width `packB` uses for matrices of `columns` columns side
    /// by side: wide (`2 · nr`, see `WidePanel`) where this build has them,
    /// unless padding each matrix to whole wide panels would multiply more
    /// than 9/8 of the columns narrow panels pad to. (The wide kernel runs
    /// 39 instructions per 24 multiply-adds, the narrow one 25 per 12: the
    /// same time per multiply-add when the machine is quiet, about 0.8 of
    /// it in slow stretches; 8/9 is between. On an LSTM step's products,
    /// 32 × 512 × 128 to 32 × 4,096 × 1,024, wide panels took 0.94–0.97×
    /// the time of narrow ones, median of 30–300 alternating rounds.) So
    /// 32 columns are one narrow panel, not half of a wide one, and 96 are
    /// three narrow ones.
    /// (Generic, so a caller passes `CollectionOfOne(n)` or a lazy map
    /// rather than allocating an array on every product.)
    static func panelWidth<Columns: Sequence<Int>>(columns: Columns) -> Int {
        guard hasWidePanels else { return nr }
        func padded(_ width: Int) -> Int { columns.reduce(0) { $0 + ($1 + width - 1) / width * width } }
        return 8 * padded(2 * nr) <= 9 * padded(nr) ? 2 * nr : nr
    }

    /// The panel width of a buffer written by `packB` (see `writeHeader`).
    @inline(__always)
    static func panelWidth(of packed: UnsafePointer<Float>) -> Int {
        Int(packed[1])
    }

    /// Floats reserved before the panels in a packed buffer: the first
    /// records where the panels start (2 to 17 floats in), the second their
    /// width, the rest pad them to a 64-byte boundary.
    ///
    /// Why: the kernel loads `B` in whole vectors, and a 64-byte load that
    /// straddles two cache lines costs two; an array's storage is only
    /// 16-byte aligned (measured: aligned panels make the product 5–10%
    /// faster). The offset is stored rather than recomputed from the
    /// address so that a copy of the buffer, aligned differently, still
    /// reads right (only slower).
    static let headerCount = 18

    /// The start of the panels in a buffer written by `packB`.
    @inline(__always)
    static func panels(of packed: UnsafePointer<Float>) -> UnsafePointer<Float> {
        packed + Int(packed[0])
    }

    /// Copies `B` `[k, n]` (element `(p, j)` at `b[p · rowStride + j ·
    /// columnStride]`) into zero-padded panels of `width` columns (see
    /// `panelWidth(columns:)`), `[panel][k][width]`, after a header (see
    /// `headerCount`; `out` holds `packedCount` floats).
    ///
    /// A large `B` (`minimumPackPerThread` floats per thread) is packed on
    /// up to `threads` threads, each taking a range of panels: a copy the
    /// product's threads would otherwise wait for (`matmul` of 512², two
    /// threads: 1.63 → 1.29 ms, fastest of 4 alternating rounds, when it
    /// packed first; now a `B` packed ahead, as a recurrent layer's
    /// weights, or for a product split by rows: one split by panels packs
    /// inside, see `multiply(…b:scratch:…)`).
    static func packB(
        _ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int,
        into out: UnsafeMutablePointer<Float>, threads maxThreads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) {
        packB([Operand(b: b, n: n, rowStride: rowStride, columnStride: columnStride)], k: k, into: out,
              threads: maxThreads, perform: perform)
    }

    /// One `[k, n]` matrix for `packB`: element `(p, j)` at `b[p · rowStride
    /// + j · columnStride]`.
    struct Operand {
        var b: UnsafePointer<Float>
        var n: Int, rowStride: Int, columnStride: Int
    }

    /// Packs matrices with the same `k` side by side, `[B₁ | B₂ | …]`, each
    /// from a panel of its own (see `packB`), in panels of one width
    /// (`panelWidth(columns:)` of all their columns): a product with it
    /// computes `A · Bᵢ` in the columns from the width · (the panels
    /// before `Bᵢ`) on. `out` holds `packedCount(k:, n:, width:)` floats
    /// for `n` = the width · all panels.
    static func packB(
        _ operands: [Operand], k: Int, into out: UnsafeMutablePointer<Float>, threads maxThreads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) {
        let width = panelWidth(columns: operands.lazy.map(\.n))
        let offset = writeHeader(out, width: width)
        var start = out + offset, allPanels = 0
        for operand in operands {
            let (b, n, rowStride, columnStride) = (operand.b, operand.n, operand.rowStride, operand.columnStride)
            let panels = (n + width - 1) / width
            let threads = min(maxThreads, panels, max(1, k * n / minimumPackPerThread))
            if threads > 1 {
                perform(threads) { t in
                    packPanels((panels * t / threads)..<(panels * (t + 1) / threads), width: width, of: b, k: k, n: n,
                               rowStride: rowStride, columnStride: columnStride, into: start)
                }
            } else {
                packPanels(0..<panels, width: width, of: b, k: k, n: n, rowStride: rowStride, columnStride: columnStride,
                           into: start)
            }
            start += panels * width * k
            allPanels += panels
        }
        for i in (offset + allPanels * width * k)..<packedCount(k: k, n: allPanels * width, width: width) { out[i] = 0 }
    }

    /// Writes the header of a packed buffer of panels `width` columns wide
    /// at `out` (see `headerCount`) and returns the offset of its first
    /// panel, 2…17 floats on.
    static func writeHeader(_ out: UnsafeMutablePointer<Float>, width: Int) -> Int {
        let misaligned = (Int(bitPattern: out + 2) % 64) / MemoryLayout<Float>.size
        let offset = 2 + (16 - misaligned) % 16
        for i in 0..<offset { out[i] = 0 }
        out[0] = Float(offset)
        out[1] = Float(width)
        return offset
    }

    /// Floats of `B` per thread below which `packB` does not split: 64K
    /// (256 KB, tens of microseconds of copying; waking a spinning worker
    /// costs about 2 µs).
    static let minimumPackPerThread = 1 << 16

    /// Packs the panels `panelRange` of `B`, `width` columns each (see
    /// `packB`), into `start`, where panel 0 begins.
    static func packPanels(
        _ panelRange: Range<Int>, width: Int, of b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int,
        columnStride: Int, into start: UnsafeMutablePointer<Float>
    ) {
        // Panels of `width` whole columns; the general loop below packs the rest.
        let wholePanels = min(panelRange.upperBound, n / width)
        var fullPanels = panelRange.lowerBound
        if columnStride == 1 && wholePanels > panelRange.lowerBound {
            // The common case, whole panels of a row-major `B`: read it row
            // by row, a vector copy per vector of a panel (the general loop
            // below, panel by panel, took 45 µs for 256², 20% of the
            // product; this takes 31 µs).
            if hasWidePanels && width == WidePanel.columns {
                packRows(WidePanel.self, panelRange.lowerBound..<wholePanels, of: b, k: k, rowStride: rowStride, into: start)
            } else {
                packRows(NarrowPanel.self, panelRange.lowerBound..<wholePanels, of: b, k: k, rowStride: rowStride, into: start)
            }
            fullPanels = wholePanels
        } else if rowStride == 1 && wholePanels > panelRange.lowerBound {
            // A transposed `B` (a layer's `Wᵀ`, `W` stored row-major): each
            // column of `B` is a stored row, so a panel is a transpose, done
            // in 8 × 8 blocks of vectors (the general loop's strided scalar
            // reads took 8 instructions per value: 3.3% of
            // `lstm_packed_nograd`'s samples, 1.4% now; the two binaries in
            // lockstep, 21 turns: 0.93× the time [0.92–0.95], 0.97× with
            // the AVX2 kernels).
            for panel in panelRange.lowerBound..<wholePanels {
                let src = b + panel * width * columnStride, dst = start + panel * k * width
                var p0 = 0
                while p0 + 8 <= k {
                    for j0 in stride(from: 0, to: width, by: 8) {
                        transpose8(src + j0 * columnStride + p0, rowStride: columnStride, into: dst + p0 * width + j0,
                                   rowStride: width)
                    }
                    p0 += 8
                }
                for p in p0..<k {
                    for j in 0..<width { dst[p * width + j] = src[j * columnStride + p] }
                }
            }
            fullPanels = wholePanels
        }
        for panel in max(fullPanels, panelRange.lowerBound)..<panelRange.upperBound {
            let j0 = panel * width
            let valid = min(width, n - j0)
            let dst = start + panel * k * width
            for p in 0..<k {
                let row = dst + p * width
                let src = b + p * rowStride + j0 * columnStride
                if columnStride == 1 {
                    for j in 0..<valid { row[j] = src[j] }
                } else {
                    for j in 0..<valid { row[j] = src[j * columnStride] }
                }
                for j in valid..<width { row[j] = 0 }
            }
        }
    }

    /// Packs the whole panels `panelRange` (`W` wide) of a row-major `B`
    /// (see `packPanels`), row by row: `W.vectors` vector copies per panel
    /// and row, which the compiler unrolls for a width it knows (with the
    /// width at run time, 256³ and 512³ products with the AVX2 kernels took
    /// 1.01–1.03× the time, the two binaries in lockstep).
    static func packRows<W: PanelWidth>(
        _: W.Type, _ panelRange: Range<Int>, of b: UnsafePointer<Float>, k: Int, rowStride: Int,
        into start: UnsafeMutablePointer<Float>
    ) {
        let size = MemoryLayout<Vector>.size, width = W.columns
        for p in 0..<k {
            let src = UnsafeRawPointer(b + p * rowStride + panelRange.lowerBound * width)
            var row = UnsafeMutableRawPointer(start + panelRange.lowerBound * k * width + p * width)
            for panel in 0..<panelRange.count {
                for v in 0..<W.vectors {
                    row.storeBytes(of: src.loadUnaligned(fromByteOffset: (W.vectors * panel + v) * size, as: Vector.self),
                                   toByteOffset: v * size, as: Vector.self)
                }
                row += k * width * MemoryLayout<Float>.size
            }
        }
    }

    /// Writes the transpose of the 8 × 8 block at `src` (rows `rowStride`
    /// apart) to `dst` (rows `dstStride` apart): row `r` of the source
    /// becomes column `r`.
    ///
    /// Three rounds of the same step on the eight rows as vectors: each
    /// pair of vectors, side by side, splits into its even and its odd
    /// lanes, the evens to the first four vectors and the odds to the last
    /// four. One round moves the lowest bit of an element's column to the
    /// top of its row index (the lanes' index `8 · row + column`, six bits,
    /// rotates right by one), so three rounds swap row and column. Swift's
    /// `evenHalf` and `oddHalf` compile to vector shuffles.
    @inline(__always)
    static func transpose8(
        _ src: UnsafePointer<Float>, rowStride: Int, into dst: UnsafeMutablePointer<Float>, rowStride dstStride: Int
    ) {
        typealias Row = SIMD8<Float>
        func load(_ r: Int) -> Row { UnsafeRawPointer(src + r &* rowStride).loadUnaligned(as: Row.self) }
        func split(_ x: Row, _ y: Row) -> (even: Row, odd: Row) {
            let both = SIMD16<Float>(lowHalf: x, highHalf: y)
            return (both.evenHalf, both.oddHalf)
        }
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
        for _ in 0..<3 {
            let (e0, o0) = split(r0, r1), (e1, o1) = split(r2, r3), (e2, o2) = split(r4, r5), (e3, o3) = split(r6, r7)
            (r0, r1, r2, r3, r4, r5, r6, r7) = (e0, e1, e2, e3, o0, o1, o2, o3)
        }
        func store(_ v: Row, _ r: Int) { UnsafeMutableRawPointer(dst + r &* dstStride).storeBytes(of: v, as: Row.self) }
        store(r0, 0); store(r1, 1); store(r2, 2); store(r3, 3); store(r4, 4); store(r5, 5); store(r6, 6); store(r7, 7)
    }

    /// The parallel loop used when a caller passes none: Dispatch's.
    static func dispatchPerform(_ count: Int, _ piece: (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: piece)
    }

    /// Packs `B` into a new array (see `packB`).
    static func packed(
        _ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int, threads: Int = 1,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void = dispatchPerform
    ) -> [Float] {
        packed([Operand(b: b, n: n, rowStride: rowStride, columnStride: columnStride)], k: k, threads: threads,
               perform: perform)
    }

    /// Packs matrices side by side into a new array (see `packB`).
    static func packed(
        _ operands: [Operand], k: Int, threads: Int = 1,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void = dispatchPerform
    ) -> [Float] {
        let width = panelWidth(columns: operands.lazy.map(\.n))
        let n = operands.reduce(0) { $0 + ($1.n + width - 1) / width } * width
        return [Float](unsafeUninitializedCapacity: packedCount(k: k, n: n, width: width)) { buffer, count in
            packB(operands, k: k, into: buffer.baseAddress!, threads: threads, perform: perform)
            count = packedCount(k: k, n: n, width: width)
        }
    }

    /// `C (+)= A · B` for `A` `[m, k]` given by strides, `B` packed by
    /// `packB`, and row-major `C` `[m, n]` with row stride `ldc`.
    ///
    /// - Parameters:
    ///   - accumulate: add to `C` (true) or overwrite it (false).
    ///   - threads: the most threads to use (large products only).
    ///   - perform: runs pieces `0..<count` of a job at once (Torchlet
    ///     passes its worker pool, `Parallelism.perform`).
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads maxThreads: Int = 1,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void = dispatchPerform
    ) {
        guard m > 0 && n > 0 else { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0 } } }
            return
        }
        let width = panelWidth(of: packedB)
        precondition(width == nr || hasWidePanels && width == 2 * nr,
                     "GEMM.multiply: B was packed in \(width)-column panels, which this build of the kernel does not have (packed by the other build?)")
        let panels = (n + width - 1) / width, tiles = (m + mr - 1) / mr
        let (threads, byRows) = split(m: m, n: n, k: k, width: width, threads: maxThreads)
        if threads > 1 && byRows {
            perform(threads) { t in
                let start = min(m, tiles * t / threads * mr), end = min(m, tiles * (t + 1) / threads * mr)
                multiply(panels: 0..<panels, m: end - start, n: n, k: k,
                         a: a + start * aRowStride, aRowStride: aRowStride, aColumnStride: aColumnStride,
                         packedB: packedB, c: c + start * ldc, ldc: ldc, accumulate: accumulate)
            }
        } else if threads > 1 {
            perform(threads) { t in
                multiply(panels: (panels * t / threads)..<(panels * (t + 1) / threads), m: m, n: n, k: k,
                         a: a, aRowStride: aRowStride, aColumnStride: aColumnStride, packedB: packedB,
                         c: c, ldc: ldc, accumulate: accumulate)
            }
        } else {
            multiply(panels: 0..<panels, m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                     packedB: packedB, c: c, ldc: ldc, accumulate: accumulate)
        }
    }

    /// How `multiply` splits an `m` × `n` × `k` product: the threads it
    /// uses, and whether they take rows of `A` (else column panels of `B`).
    static func split(m: Int, n: Int, k: Int, width: Int, threads maxThreads: Int) -> (threads: Int, byRows: Bool) {
        let panels = (n + width - 1) / width, tiles = (m + mr - 1) / mr
        // Two threads pay off only when each gets enough work to cover the
        // cost of waking it (a few microseconds). Each thread reads all of
        // the operand it does not split, so split the larger one: the rows
        // of `A` (whole tiles) when `A` is taller than `B` is wide, else the
        // column panels of `B`. (The weight gradients and input gradients
        // of a layer are tall: an LSTM's `dGates · W_ih`, 1,600 × 512 × 64,
        // split by panels gave each thread one 32-column panel and all of
        // `A`, 3.2 MB, and ran no faster on two threads than on one in the
        // LSTM's backward pass; by rows, `lstm_dense` at two threads took
        // 0.86× the time, `lm_step` 0.88×, `lstm_large` 0.94×, median of 8,
        // 6 and 6 alternating rounds.)
        let byRows = m > n
        return (min(maxThreads, byRows ? tiles : panels, max(1, m * n * k / minimumWorkPerThread)), byRows)
    }

    /// `C (+)= A · B` for `B` as it is stored (see `Operand`), packed into
    /// `scratch` (`packedCount(k:, n:)` floats) on the way: a product split
    /// by column panels has each thread pack the panels it multiplies, so
    /// they are in its own cache when it reads them, and no thread waits
    /// for the whole of `B` to be packed first (otherwise `packB`, then
    /// `multiply`). Measured against packing first, the two binaries in
    /// lockstep at two threads (41 turns, median ratio): `matmul` of 256²
    /// 0.93× the time (twice), 512² 0.98–1.06× (a tie); one thread runs
    /// the same code as before.
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: Operand, scratch: UnsafeMutablePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads maxThreads: Int = 1,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void = dispatchPerform
    ) {
        let width = panelWidth(columns: CollectionOfOne(b.n))
        let (threads, byRows) = split(m: m, n: n, k: k, width: width, threads: maxThreads)
        guard m > 0 && n > 0 && k > 0 && threads > 1 && !byRows else {
            packB([b], k: k, into: scratch, threads: maxThreads, perform: perform)
            multiply(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride, packedB: scratch,
                     c: c, ldc: ldc, accumulate: accumulate, threads: maxThreads, perform: perform)
            return
        }
        let panels = (n + width - 1) / width
        let start = scratch + writeHeader(scratch, width: width)
        perform(threads) { t in
            let range = (panels * t / threads)..<(panels * (t + 1) / threads)
            packPanels(range, width: width, of: b.b, k: k, n: n, rowStride: b.rowStride, columnStride: b.columnStride,
                       into: start)
            multiply(panels: range, m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                     packedB: scratch, c: c, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Multiply-adds per thread below which a second thread does not pay.
    /// (Measured on the AMD EPYC machine, each product alone in a loop,
    /// two threads' time over one thread's, median of 27 alternating
    /// rounds, twice: 32 × 128 × 512 (2.1M) 0.64–0.73 with this value and
    /// 0.98–1.00 with 4M (not split); 128³ 0.74–0.98; 64 × 256 × 256 0.59
    /// (one run); 64 × 64 × 256 (1M, not split) 1.00–1.01. Before `CPUPlacement` the value
    /// was 4M: a worker woken on the caller's CPU made the 2.1M product
    /// slower on two threads than on one.)
    static let minimumWorkPerThread = 1 << 20

    /// Narrow panels' worth of columns per call from which a transposed
    /// `A` is copied into tiles (see `multiply(panels:…)`).
    static let minimumPanelsToCopyA = 6

    /// Narrow panels' worth of columns per group when `k` spans several
    /// `kc` blocks (see `multiply(panels:…)`): a `kc` block of 16 narrow
    /// panels is 512 KB of `B` with AVX-512 (256 KB with AVX2), which
    /// stays in L2.
    static let panelsPerGroup = 16

    /// The blocked loops over the column panels in `panelRange` of
    /// `packedB`, with the kernels of its panel width.
    static func multiply(
        panels panelRange: Range<Int>, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        if hasWidePanels && panelWidth(of: packedB) == WidePanel.columns {
            multiply(WidePanel.self, panels: panelRange, m: m, n: n, k: k, a: a, aRowStride: aRowStride,
                     aColumnStride: aColumnStride, bPanels: panels(of: packedB), c: c, ldc: ldc, accumulate: accumulate)
        } else {
            multiply(NarrowPanel.self, panels: panelRange, m: m, n: n, k: k, a: a, aRowStride: aRowStride,
                     aColumnStride: aColumnStride, bPanels: panels(of: packedB), c: c, ldc: ldc, accumulate: accumulate)
        }
    }

    /// The blocked loops over the column panels in `panelRange` (`W`
    /// wide, starting at `bPanels`): for each group of panels, `kc` block
    /// of `k` and `mc` block of rows, the micro-kernel on every `mr`-row
    /// tile of the block against every panel of the group.
    static func multiply<W: PanelWidth>(
        _: W.Type, panels panelRange: Range<Int>, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        bPanels: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let width = W.columns
        // The buffers below are one per call, so per thread.
        // A transposed `A` (a weight gradient's `dYᵀ`) read in place steps a
        // whole row of the stored matrix per `p` (8 KB for an LSTM(·→512)'s
        // gates, 40 KB for a 10,000-word output layer), so a tile's values
        // share a few L1 sets and are fetched again for every panel: with
        // enough panels to repay the copy, each block of rows is copied into
        // tiles first (`packA`). Measured on an LSTM(·→512)'s weight
        // gradient, 2,048 × 6,400 × 512, at one thread: 132–199 ms in place,
        // 108–157 copied (3 alternating rounds); on whole runs, median of 8
        // alternating rounds, `lstm_large` 0.86× the time at two threads,
        // `lm_step` 0.91× (at one thread 0.95× for both in one such series,
        // no difference beyond the noise in a later one of 4). With 2–4
        // panels (`lstm_dense`, `day3_epoch`) the copy cost more than it
        // saved; measured again with the threshold at 1: `lstm_dense`'s
        // weight gradients alone took 0.68–0.78× the time, but in the
        // layer's backward the copy (`multiply`, 2.3% → 6.9% of a profile)
        // cost what the kernel saved (61.0% → 56.4%), whole runs 1.03×.
        // From 6 panels it pays: `lstm_dense`'s two weight gradients as one
        // product have 6 (`MatrixMultiply.transposedProducts`), and with the
        // threshold at 6 instead of 8 `lstm_dense` took 0.96× and 0.98× the
        // time at one thread, 0.93× at two (16 alternating rounds each). The
        // threshold counts columns, in narrow panels (3 wide ones are 6):
        // with the 6 × 64 kernel, never copying took 1.44× the time on
        // `lstm_large` and `lm_step`, copying from 2 narrow panels' worth
        // made no difference.
        let tilesTransposed = aRowStride == 1 && aColumnStride > 1 && panelRange.count * width >= minimumPanelsToCopyA * nr
        if !tilesTransposed && k > kc && m * panelRange.count * width >= minimumCTileByTile {
            multiplyTileByTile(W.self, panels: panelRange, of: bPanels, m: m, n: n, k: k, a: a, aRowStride: aRowStride,
                               aColumnStride: aColumnStride, c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        let packedTiles = UnsafeMutablePointer<Float>.allocate(capacity: tilesTransposed ? mc * min(kc, k) : 0)
        defer { packedTiles.deallocate() }
        // Otherwise only the last tile of rows, if partial, is packed
        // (zero-padded) for the shorter kernels, unless one of them has
        // its height (see `edgeRows` and `runsInPlace`).
        let edge = tilesTransposed ? 0 : edgeRows(m: m)
        let edgeInPlace = runsInPlace(edge: edge)
        let packedEdge = UnsafeMutablePointer<Float>.allocate(capacity: edgeInPlace ? 0 : mr * min(kc, k))
        defer { packedEdge.deallocate() }
        // Groups of panels (the outer `nc` loop of BLIS): a `kc` block of
        // every panel of a wide `B` does not fit in L2 (10 MB for a
        // 10,000-word decoder's 313 panels), so without groups each block of
        // rows fetched it again from L3; a group's part stays in L2 for all
        // the blocks of rows, and `A` is read again once per group instead.
        // Only when `k` spans several `kc` blocks: measured on single
        // products at one thread, each against the ungrouped loop in the
        // same process, alternating, median of 12: the decoder's forward
        // product (2,240 × 10,000 × 512) 0.88–0.94× the time in four runs,
        // its half on one of two threads 0.96×, 2,048³ 0.94–0.98×, 1,536³
        // 0.94–1.05×, 1,024³ 0.98–1.01×; with a single `kc` block (6,400 ×
        // 2,048 × 256, 4,096 × 4,096 × 256) 1.02–1.05×, so those are not
        // grouped.
        let groupPanels = k > kc ? max(1, panelsPerGroup * nr / width) : max(1, panelRange.count)
        for groupStart in stride(from: panelRange.lowerBound, to: panelRange.upperBound, by: groupPanels) {
            let group = groupStart..<min(panelRange.upperBound, groupStart + groupPanels)
            var p0 = 0
            while p0 < k {
                let kBlock = min(kc, k - p0)
                let add = accumulate || p0 > 0
                if !edgeInPlace {
                    packA(a + (m - edge) * aRowStride + p0 * aColumnStride, rows: edge, k: kBlock,
                          rowStride: aRowStride, columnStride: aColumnStride, into: packedEdge)
                }
                var i0 = 0
                while i0 < m {
                    let mBlock = min(mc, m - i0)
                    if tilesTransposed {
                        packA(a + i0 + p0 * aColumnStride, rows: mBlock, k: kBlock, rowStride: 1, columnStride: aColumnStride,
                              into: packedTiles)
                    }
                    for panel in group {
                        let j0 = panel * width, columns = min(width, n - j0)
                        let b = bPanels + panel * k * width + p0 * width
                        var i = i0
                        while i < i0 + mBlock {
                            if tilesTransposed {
                                microKernel(W.self, k: kBlock, a: packedTiles + (i - i0) * kBlock, rows: min(mr, m - i),
                                            b: b, c: c + i * ldc + j0, ldc: ldc, columns: columns, accumulate: add)
                                i += mr
                                continue
                            }
                            let rows = tileRows(at: i, m: m, edge: edge)
                            if rows == 0 { break }
                            if i < m - edge || edgeInPlace {
                                inPlace(W.self, rows: rows, k: kBlock, a: a + i * aRowStride + p0 * aColumnStride,
                                        aRowStride: aRowStride, aColumnStride: aColumnStride,
                                        b: b, c: c + i * ldc + j0, ldc: ldc, columns: columns, accumulate: add)
                            } else {
                                microKernel(W.self, k: kBlock, a: packedEdge, rows: edge,
                                            b: b, c: c + i * ldc + j0, ldc: ldc, columns: columns, accumulate: add)
                            }
                            i += rows
                        }
                    }
                    i0 += mBlock
                }
                p0 += kBlock
            }
        }
    }

    /// Elements of `C` from which a product with several `kc` blocks runs
    /// them tile by tile (see `multiplyTileByTile`): 512K floats, 2 MB, the
    /// L2 of one core of the Xeon it was measured on; a smaller `C` stays in
    /// L2 between the blocks anyway. (`GEMMTests.transposedAGivesTheSameBits`
    /// has shapes above it even when two threads split the product.)
    static let minimumCTileByTile = 1 << 19

    /// The longest span of `k` run tile by tile (see `multiplyTileByTile`):
    /// each tile reads its panel over the span (256 KB at 2,048 with
    /// AVX-512) from L2.
    static let tileByTileSpan = 2048

    /// The loops of `multiply(panels:…)` with the `kc` blocks innermost:
    /// each tile of `C` runs all its blocks back to back, so it is read
    /// from memory once and stays in L1 between them, instead of going out
    /// to memory and back once per block (a 1,024³ product's `C`, 4 MB,
    /// four times). The price: a panel's blocks are no longer reused from
    /// L1 by the next tile but read again from L2, so the panels are taken
    /// in groups of about 1 MB over all of `k`, which stay there; a longer
    /// `k` is cut into spans of `tileByTileSpan`, each run this way (`C`
    /// goes out to memory once per span instead of once per block). Each
    /// block's sum is still added to `C` in the same order, so the bits are
    /// the same. Measured at one and two threads, both orders in one
    /// process, alternating, median of 7–9 (m × n × k): 1,024³ 0.94–0.96×
    /// the time, 6,400 × 256 × 2,048 (an LSTM(·→512)'s `dx` over 100 × 64
    /// tokens) 0.93–0.95×, the 10,000-word decoder's forward product
    /// (2,240 × 10,000 × 512) 0.91–0.93× and its `dx` (2,240 × 512 ×
    /// 10,000, five spans) 0.91–0.96×; 512³ 0.97–1.0×, 1,024 × 512 × 4,096
    /// 1.00–1.05× at one thread; with a small `C` (64 × 512 × 2,048) up
    /// to 1.19× slower, hence `minimumCTileByTile`.
    static func multiplyTileByTile<W: PanelWidth>(
        _: W.Type, panels panelRange: Range<Int>, of bPanels: UnsafePointer<Float>, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        // The partial last tile of rows, over all of `k`, `[k][mr]`.
        let edge = edgeRows(m: m), edgeInPlace = runsInPlace(edge: edge)
        let packedEdge = UnsafeMutablePointer<Float>.allocate(capacity: edgeInPlace ? 0 : mr * k)
        defer { packedEdge.deallocate() }
        if !edgeInPlace {
            packA(a + (m - edge) * aRowStride, rows: edge, k: k, rowStride: aRowStride, columnStride: aColumnStride,
                  into: packedEdge)
        }
        for spanStart in stride(from: 0, to: k, by: tileByTileSpan) {
            let span = spanStart..<min(k, spanStart + tileByTileSpan)
            let groupPanels = max(1, (1 << 20) / (span.count * W.columns * MemoryLayout<Float>.size))
            for groupStart in stride(from: panelRange.lowerBound, to: panelRange.upperBound, by: groupPanels) {
                let group = groupStart..<min(panelRange.upperBound, groupStart + groupPanels)
                for i0 in stride(from: 0, to: m, by: mc) {
                    for panel in group {
                        let j0 = panel * W.columns, columns = min(W.columns, n - j0)
                        var i = i0
                        while i < min(m, i0 + mc) {
                            let rows = tileRows(at: i, m: m, edge: edge)
                            if rows == 0 { break }
                            for p0 in stride(from: span.lowerBound, to: span.upperBound, by: kc) {
                                let kBlock = min(kc, span.upperBound - p0)
                                let b = bPanels + panel * k * W.columns + p0 * W.columns
                                let add = accumulate || p0 > 0
                                if i < m - edge || edgeInPlace {
                                    inPlace(W.self, rows: rows, k: kBlock, a: a + i * aRowStride + p0 * aColumnStride,
                                            aRowStride: aRowStride, aColumnStride: aColumnStride,
                                            b: b, c: c + i * ldc + j0, ldc: ldc, columns: columns, accumulate: add)
                                } else {
                                    microKernel(W.self, k: kBlock, a: packedEdge + p0 * mr, rows: edge,
                                                b: b, c: c + i * ldc + j0, ldc: ldc, columns: columns, accumulate: add)
                                }
                            }
                            i += rows
                        }
                    }
                }
            }
        }
    }

    /// The rows of the last tile of `A`, run by a shorter kernel: the last
    /// `m % mr`, or, with six-row tiles, two more when that leaves one or
    /// two. They are copied into a zero-padded tile, unless a kernel has
    /// their height (`runsInPlace`).
    ///
    /// A tile of one or two rows runs `TwoRows`, whose accumulators wait
    /// on the multiply-add latency: it takes as long as four rows. So with
    /// six-row tiles a batch of 32 (five tiles and two rows) took the time
    /// of 34 rows, where four-row tiles took 32 (`lstm_dense_nograd` 1.06×
    /// the time with AVX2, the two binaries in lockstep). Lending two rows
    /// of the last whole tile to the edge makes that 4 + 4 rows, both run
    /// by `FourRows` at full speed: 32 again.
    static func edgeRows(m: Int) -> Int {
        let edge = m % mr
        return mr == 6 && m > mr && (edge == 1 || edge == 2) ? edge + 2 : edge
    }

    /// Whether the last tile's `edge` rows (see `edgeRows`) are read in
    /// place, by the kernel of their height (4 or 2 rows), rather than
    /// copied into a zero-padded tile: so the batches of 32 and 64 of the
    /// LSTMs copy nothing. (The copy of a row-major tile compiled to
    /// vector scatters, about a fifth of `multiply(panels:…)`'s samples
    /// in `lstm_dense` (`perf annotate`); in place, the two binaries in lockstep, 21 turns:
    /// `lstm_dense` 0.98× the time at one thread and 0.95× at two,
    /// `lstm_dense_nograd` 0.98× and 0.95×, `lstm_large` 0.98×.) 0 rows
    /// need no copy either.
    static func runsInPlace(edge: Int) -> Bool {
        edge == 0 || edge == FourRows.rows || edge == TwoRows.rows
    }

    /// The rows of the tile that starts at row `i` when the last `edge`
    /// rows form the last tile (see `edgeRows`): `mr`, the four rows left
    /// of a tile that lent two to the edge, the edge, or 0 when `i` is
    /// inside the edge (which the block of rows before runs whole).
    @inline(__always)
    static func tileRows(at i: Int, m: Int, edge: Int) -> Int {
        let inPlaceEnd = m - edge
        if i + mr <= inPlaceEnd { return mr }
        if i < inPlaceEnd { return inPlaceEnd - i }
        return i == inPlaceEnd ? edge : 0
    }

    /// The micro-kernel on `rows` rows of `A` read in place: `mr`, the
    /// four of a tile that lent rows to the edge (see `tileRows`), or an
    /// edge that a kernel has the height of (see `runsInPlace`). It hands
    /// `block` the pointers of rows 0 and 3 (see `TileLayout`).
    @inline(__always)
    static func inPlace<W: PanelWidth>(
        _: W.Type, rows: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
    ) {
        if unrollsK && aColumnStride == 1 {
            kernel(W.self, RowMajorInPlace.self, rows: rows, k: k, a: (a, a + 3 * aRowStride), aRowStride: aRowStride,
                   aColumnStride: 1, b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
        } else {
            kernel(W.self, RowsInPlace.self, rows: rows, k: k, a: (a, a + 3 * aRowStride), aRowStride: aRowStride,
                   aColumnStride: aColumnStride, b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
        }
    }

    /// Runs `block` with the shortest kernel that covers `rows` rows of
    /// `A` in `layout`: `mr` rows, or 4 or 2 (a padded tile's rows past
    /// `rows` are computed and not stored).
    @inline(__always)
    static func kernel<W: PanelWidth, L: TileLayout>(
        _: W.Type, _ layout: L.Type, rows: Int, k: Int, a: RowPointers, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
    ) {
        if rows == mr || rows > FourRows.rows {
            block(W.self, AllRows.self, L.self, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                  rows: rows, b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
        } else if rows > TwoRows.rows {
            block(W.self, FourRows.self, L.self, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                  rows: rows, b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
        } else {
            block(W.self, TwoRows.self, L.self, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                  rows: rows, b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
        }
    }

    /// Copies `rows` × `k` of `A` (element `(i, p)` at `a[i · rowStride + p ·
    /// columnStride]`) into tiles of `mr` rows, `[tile][k][mr]`, the last
    /// tile zero-padded (used for the partial last tile of rows).
    ///
    /// Each loop walks the source with unit stride where it has one: down
    /// a column for a transposed `A` (`rowStride == 1`), else along each row.
    static func packA(
        _ a: UnsafePointer<Float>, rows: Int, k: Int, rowStride: Int, columnStride: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var i0 = 0
        if rowStride == 1 {
            // The whole tiles of a transposed `A`: `mr` contiguous floats per
            // `p` and tile, copied as vectors, along each stored row (`p`)
            // across all the tiles, so the reads are contiguous. (The plain
            // loop compiled to a `memmove` call per `p`: 4.6% of `lm_step`'s
            // samples at two threads; as vectors the copy takes about 2%,
            // inside `multiply`. Tile by tile, each `p` a row further down,
            // it was 6.3% of `lstm_dense`'s samples at one thread; along the
            // rows 5.0%, and `lstm_dense` took 0.98× the time at one thread,
            // 0.89× at two, `lstm_large` 0.95× at two, `lm_step` 0.99×.)
            let tiles = rows / mr
            for p in 0..<k {
                let src = a + p * columnStride
                for t in 0..<tiles { copyTileColumn(from: src + t * mr, to: out + t * mr * k + p * mr) }
            }
            i0 = tiles * mr
        }
        while i0 < rows {
            let height = min(mr, rows - i0)
            let tile = out + i0 * k
            if rowStride == 1 {
                for p in 0..<k {
                    let src = a + i0 + p * columnStride, dst = tile + p * mr
                    for r in 0..<height { dst[r] = src[r] }
                }
            } else {
                for r in 0..<height {
                    let src = a + (i0 + r) * rowStride
                    var dst = tile + r
                    for p in 0..<k { dst.pointee = src[p &* columnStride]; dst += mr }
                }
            }
            for r in height..<mr {
                var dst = tile + r
                for _ in 0..<k { dst.pointee = 0; dst += mr }
            }
            i0 += mr
        }
    }

    /// Copies `mr` floats, four at a time, then one by one (6 = 4 + 1 + 1;
    /// 4).
    @inline(__always)
    static func copyTileColumn(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
        let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
        var r = 0
        while r + 4 <= mr {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * r, as: SIMD4<Float>.self), toByteOffset: 4 * r,
                          as: SIMD4<Float>.self)
            r += 4
        }
        while r < mr { dst[r] = src[r]; r += 1 }
    }

    /// The micro-kernel for a packed tile of `A` (`[k][mr]`, see `packA`):
    /// one `mr` × `W.columns` block of `C`, fewer valid `rows`/`columns`
    /// at the edges. A tile with few rows runs a shorter kernel (4 or 2
    /// rows) instead of multiplying padding; each reads the tile at fixed
    /// offsets (`PackedTile`).
    @inline(__always)
    static func microKernel<W: PanelWidth>(
        _: W.Type, k: Int, a: UnsafePointer<Float>, rows: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
    ) {
        kernel(W.self, PackedTile.self, rows: rows, k: k, a: (a, a), aRowStride: 1, aColumnStride: mr,
               b: b, c: c, ldc: ldc, columns: columns, accumulate: accumulate)
    }

    /// A kernel height as a type, so that `block` is compiled once per
    /// height with every `if height > r` decided at compile time (an `Int`
    /// argument was not: the compiler kept one copy with the tests in the
    /// inner loop).
    protocol Height { static var rows: Int { get } }
    enum AllRows: Height { static var rows: Int { mr } }
    enum FourRows: Height { static var rows: Int { min(4, mr) } }
    enum TwoRows: Height { static var rows: Int { 2 } }

    /// A panel width as a type, so that `block` is compiled once per width
    /// too: `vectors` SIMD vectors per row of the register block.
    protocol PanelWidth { static var vectors: Int { get } }
    /// Panels of two vectors (`nr` columns): 6 × 16 with AVX2 (BLIS's
    /// shape for Haswell), 6 × 32 with AVX-512, 4 × 16 with NEON.
    enum NarrowPanel: PanelWidth { static var vectors: Int { 2 } }
    /// Panels of four vectors, 64 columns with AVX-512: 6 × 64 in 24 of its
    /// 32 registers, + 4 for `B` and 1 for the broadcast (see `block`).
    enum WidePanel: PanelWidth { static var vectors: Int { 4 } }

    /// Where the kernel finds `A` as a type, so that `block` is compiled
    /// once per layout too: rows read in place, with the strides given at
    /// run time, or a tile packed by `packA`, whose strides (1 and `mr`)
    /// the compiler then knows, so it reads the tile's `mr` values for a
    /// `p` at fixed offsets from one pointer.
    ///
    /// Rows in place come as two pointers (rows 0 and 3) that the caller
    /// computes (`inPlace`): `block` cannot see that they are rows of one
    /// matrix, so the compiler keeps the two pointers and reads rows 1, 2,
    /// 4 and 5 at one and two row strides from them, one instruction each
    /// (written as one pointer, it stepped it down the rows and back at
    /// every `p`; as four row pointers with twelve-row tiles it recomputed
    /// rows from one pointer at every `p`). AVX2: 25 instructions per `p`
    /// instead of 27 in place, 24 packed; the two binaries in lockstep,
    /// AVX2 kernels, 41 turns: one thread 256³–1,024³ 0.96–1.00× the
    /// time, the LSTM cases 0.98–1.01×; two threads 256³ 0.90× and 0.99×,
    /// 512³ 0.97× twice. Where `block` takes two `p` per turn (`unrollsK`),
    /// a row-major `A` (column stride 1, the common case) has a layout of
    /// its own, `RowMajorInPlace`, so that its column stride too is known
    /// at compile time (see `block`).
    protocol TileLayout {
        /// `A`'s row and column strides, from those a caller passed.
        static func strides(row: Int, column: Int) -> (row: Int, column: Int)
        /// Rows 0 and 3, from those a caller passed.
        static func rows(_ rows: RowPointers) -> RowPointers
        /// Whether the column stride is known at compile time, so that
        /// `block` can take two `p` per turn of its loop (see `block`).
        static var columnStrideIsConstant: Bool { get }
    }
    typealias RowPointers = (UnsafePointer<Float>, UnsafePointer<Float>)
    /// Rows read in place, any strides: the pointers as given (a
    /// transposed `A` too narrow to be worth copying).
    enum RowsInPlace: TileLayout {
        static func strides(row: Int, column: Int) -> (row: Int, column: Int) { (row, column) }
        static func rows(_ rows: RowPointers) -> RowPointers { rows }
        static var columnStrideIsConstant: Bool { false }
    }
    /// Rows of a row-major `A` read in place: a column stride of 1.
    enum RowMajorInPlace: TileLayout {
        static func strides(row: Int, column: Int) -> (row: Int, column: Int) { (row, 1) }
        static func rows(_ rows: RowPointers) -> RowPointers { rows }
        static var columnStrideIsConstant: Bool { true }
    }
    /// A tile packed by `packA`: every row at a fixed offset from the
    /// first pointer (the second is not read).
    enum PackedTile: TileLayout {
        static func strides(row: Int, column: Int) -> (row: Int, column: Int) { (1, mr) }
        static func rows(_ rows: RowPointers) -> RowPointers { (rows.0, rows.0 + 3) }
        static var columnStrideIsConstant: Bool { true }
    }

    /// One row of a register block: up to four vectors (`PanelWidth`).
    struct Accumulator {
        var v0 = Vector(), v1 = Vector(), v2 = Vector(), v3 = Vector()

        @inline(__always)
        mutating func addProduct<W: PanelWidth>(_: W.Type, _ a: Float, _ b: (Vector, Vector, Vector, Vector)) {
            v0.addProduct(a, b.0); v1.addProduct(a, b.1)
            if W.vectors > 2 { v2.addProduct(a, b.2); v3.addProduct(a, b.3) }
        }
    }

    /// The register block: up to 6 rows (NEON uses the first 4).
    struct Tile {
        var c0 = Accumulator(), c1 = Accumulator(), c2 = Accumulator()
        var c3 = Accumulator(), c4 = Accumulator(), c5 = Accumulator()

        /// Adds `A[0..<height, p] ⊗ B[p, 0..<W.columns]` for one `p`: `a0`
        /// and `a3` point at the value of rows 0 and 3 for `p` (see
        /// `block`), `b` at the panel's values.
        @inline(__always)
        mutating func addProducts<W: PanelWidth>(
            _: W.Type, height: Int, a0: UnsafePointer<Float>, a3: UnsafePointer<Float>, rowStride rs: Int,
            b: UnsafeRawPointer
        ) {
            let size = MemoryLayout<Vector>.size
            let b0 = b.loadUnaligned(as: Vector.self), b1 = b.loadUnaligned(fromByteOffset: size, as: Vector.self)
            let wide = W.vectors > 2
            let bs = (b0, b1, wide ? b.loadUnaligned(fromByteOffset: 2 * size, as: Vector.self) : b0,
                      wide ? b.loadUnaligned(fromByteOffset: 3 * size, as: Vector.self) : b1)
            c0.addProduct(W.self, a0[0], bs)
            if height > 1 { c1.addProduct(W.self, a0[rs], bs) }
            if height > 2 { c2.addProduct(W.self, a0[2 &* rs], bs) }
            if height > 3 { c3.addProduct(W.self, a3[0], bs) }
            if height > 4 { c4.addProduct(W.self, a3[rs], bs) }
            if height > 5 { c5.addProduct(W.self, a3[2 &* rs], bs) }
        }

        /// Writes (or adds) the first `rows` rows to `C`.
        @inline(__always)
        func store<W: PanelWidth>(_: W.Type, rows: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int,
                                  accumulate: Bool) {
            storeRow(W.self, c0, c, columns: columns, accumulate: accumulate)
            if rows > 1 { storeRow(W.self, c1, c + ldc, columns: columns, accumulate: accumulate) }
            if rows > 2 { storeRow(W.self, c2, c + 2 * ldc, columns: columns, accumulate: accumulate) }
            if rows > 3 { storeRow(W.self, c3, c + 3 * ldc, columns: columns, accumulate: accumulate) }
            if rows > 4 { storeRow(W.self, c4, c + 4 * ldc, columns: columns, accumulate: accumulate) }
            if rows > 5 { storeRow(W.self, c5, c + 5 * ldc, columns: columns, accumulate: accumulate) }
        }
    }

    /// The micro-kernel for one height and panel width: `H.rows` rows of
    /// `A` (row `r`, column `p` at `a.0[r · aRowStride + p ·
    /// aColumnStride]`; `a` holds the pointers of rows 0 and 3, see
    /// `TileLayout`) times one `[k][W.columns]` slice of a panel of `B`,
    /// into the first `rows` rows of `C`.
    ///
    /// Checked in the release build's machine code (`objdump -d`): the loop
    /// keeps every accumulator in a register and has no stack access.
    ///
    /// Why AVX-512 runs six rows of four vectors, not twelve of two: both
    /// are 24 multiply-adds per `p`, but 6 × 64 needs 4 loads of `B` and 6
    /// broadcasts of `A` where 12 × 32 needs 2 and 12, and two row
    /// pointers instead of the twelve rows the compiler recomputed from one
    /// pointer at every `p`: 39 instructions per `p` in place (38 packed)
    /// against 51 (42 packed). When the machine is quiet both keep the FMA
    /// units busy (the kernel alone in L1: 0.97–0.99 of the peak); when another
    /// tenant shares the core and its front end, the kernel with fewer
    /// instructions loses less (the old kernel fell to 0.68–0.73 of the
    /// peak while the FMA loop kept 0.87–0.97). Measured against 12 × 32,
    /// the two binaries in lockstep, median of 15–31 turns: one thread
    /// 256³ 0.98× the time, 512³ 0.93×, 1,024³ 0.94×, `lstm_dense` 0.96×,
    /// `lstm_large` 0.94×, `lm_step` 0.93×, `lstm_packed_nograd` 0.89×,
    /// `lstm_dense_nograd` and `day3_epoch` 1.00×; two threads 256³ and
    /// 512³ 0.90×, 1,024³ 0.86×, `lstm_dense` 0.94×, `lstm_large` 0.94×,
    /// `lm_step` 0.95×. (Before narrow panels, `day3_epoch`, whose
    /// matrices are 12 to 64 columns wide, took 1.19× the time.) Its `[kc]
    /// [64]` slice of `B` (64 KB) does not fit in L1 (48 KB on that Xeon),
    /// so each tile reads it from L2: 256 bytes per 24 multiply-adds,
    /// which L2 streams fast enough. Narrow matrices pad less in narrow
    /// panels, which run 6 × 32 (see `panelWidth(columns:)`). (Tried on
    /// 12 × 32 and not kept: unrolling `p` by hand did not measurably help
    /// and, four times, made the kernel spill; embedding the broadcasts in
    /// the multiply-adds, 29 instructions per `p`, ran at 0.86 of the peak,
    /// with 26 loads per `p`.)
    ///
    /// Two `p` per turn of the loop (AVX2, `unrollsK`): where the column
    /// stride is known at compile time (`TileLayout.columnStrideIsConstant`)
    /// the second `p` reads `A` and `B` at fixed offsets, so the three
    /// pointer steps and the loop test are paid once per two `p`: 22
    /// instructions per `p` instead of 25, still no stack access. Fewer
    /// instructions per multiply-add is what holds up when another tenant
    /// shares the core's front end (above): the kernel alone on a packed
    /// tile in L1 ran 1.18× as fast (quartiles 1.16–1.21) in a slow
    /// stretch on the AMD EPYC (median of 40 alternating rounds in one
    /// process: 0.87 of the peak against 0.74). With a stride known only
    /// at run time the compiler kept extra pointers and spilled five of
    /// them, gaining 1.03× (hence `RowMajorInPlace`; the general layout
    /// keeps one `p` a turn). The two binaries in lockstep on that
    /// machine, 21 turns, one thread: 256³ 0.92× the time, 512³ 0.90×,
    /// 1,024³ 0.94×, `lstm_large` 0.91×, `lm_step` 0.97×, `lstm_dense`
    /// 1.03× and `lstm_dense_nograd` 1.00× (ties: their products are
    /// small); again later, 256³ 0.89×, 512³ 0.96×, 1,024³ 0.97×,
    /// `lstm_large` 0.92×, `lm_step` 0.98×; two threads: 512³ 0.93×
    /// [0.87–0.95], the rest ties (256³, 1,024³, `lstm_dense`,
    /// `lstm_large`, `lm_step` 0.95–1.03×, each interval holding 1). Every
    /// accumulator still takes its multiply-adds in the same order: the
    /// same bits.
    ///
    /// The tile of `C` is prefetched before the loop (`prefetchTile`, as
    /// BLIS's kernels do): the loop reads only `A` and `B`, so a tile of
    /// `C` still in L3 or memory (a product's first pass writing a large
    /// `C`, or a later `kc` block adding to one that left L2) is fetched
    /// while the multiply-adds run, not waited for at the store, where a
    /// load that misses holds up the instructions after it. A prefetch
    /// retires at once (Swift has no spelling for it: `CacheHints`). In a
    /// probe, one process, alternating, median of 31: a 1,024 × 1,024 ×
    /// 256 product (4 MB of `C` written) 0.85 of the kernel's speed
    /// against 0.77 without, 2,048 × 2,048 × 256 0.83 against 0.75, 256³
    /// and 512³ ties. The two binaries in lockstep on the AMD EPYC, 21
    /// turns: one thread `lstm_large` 0.95× the time, `lm_step` 0.94×
    /// (0.94× and 0.91× in an earlier run), the products, `lstm_dense` and
    /// `lstm_dense_nograd` ties (0.97–1.02×); two threads `lstm_large`
    /// 0.90×, `lm_step` 0.93×, the rest ties. Not measured on Intel. (Tried
    /// and not kept: prefetching the next panel's block of `B` into L2, a
    /// few lines per tile: 512³ 1.05–1.12× the time.)
    static func block<W: PanelWidth, H: Height, L: TileLayout>(
        _: W.Type, _: H.Type, _: L.Type, k: Int, a rowPointers: RowPointers, aRowStride: Int, aColumnStride: Int,
        rows: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
    ) {
        let height = H.rows
        let (aRowStride, aColumnStride) = L.strides(row: aRowStride, column: aColumnStride)
        let step = W.vectors * MemoryLayout<Vector>.size  // bytes of B per p
        var tile = Tile()
        var (a0, a3) = L.rows(rowPointers)
        var bp = UnsafeRawPointer(b)
        prefetchTile(rows: rows, c, ldc: ldc, columns: columns)
        if unrollsK && L.columnStrideIsConstant {
            for _ in 0..<k / 2 {
                tile.addProducts(W.self, height: height, a0: a0, a3: a3, rowStride: aRowStride, b: bp)
                tile.addProducts(W.self, height: height, a0: a0 + aColumnStride, a3: a3 + aColumnStride,
                                 rowStride: aRowStride, b: bp + step)
                a0 += 2 * aColumnStride; a3 += 2 * aColumnStride
                bp += 2 * step
            }
            if k % 2 == 1 { tile.addProducts(W.self, height: height, a0: a0, a3: a3, rowStride: aRowStride, b: bp) }
        } else {
            for _ in 0..<k {
                tile.addProducts(W.self, height: height, a0: a0, a3: a3, rowStride: aRowStride, b: bp)
                a0 += aColumnStride; a3 += aColumnStride
                bp += step
            }
        }
        tile.store(W.self, rows: rows, c, ldc: ldc, columns: columns, accumulate: accumulate)
    }

    /// Whether `block` takes two `p` per turn of its loop where the
    /// layout allows (`TileLayout.columnStrideIsConstant`): in the
    /// portable build on x86-64 (AVX2); the AVX-512 and NEON kernels are
    /// not measured with it yet.
    #if arch(x86_64) && !TORCHLET_WIDE_SIMD
    static let unrollsK = true
    #else
    static let unrollsK = false
    #endif

    /// Asks for the cache lines of a `rows` × `columns` tile of `C` without
    /// waiting for them (see `block`).
    @inline(__always)
    static func prefetchTile(rows: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
        for r in 0..<rows {
            let row = UnsafeRawPointer(c + r &* ldc)
            // From the start of the row's first line, one prefetch per line.
            var byte = -(Int(bitPattern: row) & 63)
            while byte < columns &* MemoryLayout<Float>.size {
                prefetch(row + byte)
                byte &+= 64
            }
        }
    }

    /// Writes (or adds) one row of a register block, `W.columns` values or
    /// the first `columns` of them at the right edge.
    @inline(__always)
    static func storeRow<W: PanelWidth>(
        _: W.Type, _ v: Accumulator, _ row: UnsafeMutablePointer<Float>, columns: Int, accumulate: Bool
    ) {
        let size = MemoryLayout<Vector>.size
        if columns == W.columns {
            let raw = UnsafeMutableRawPointer(row)
            var (x0, x1, x2, x3) = (v.v0, v.v1, v.v2, v.v3)
            if accumulate {
                x0 += raw.loadUnaligned(as: Vector.self)
                x1 += raw.loadUnaligned(fromByteOffset: size, as: Vector.self)
                if W.vectors > 2 {
                    x2 += raw.loadUnaligned(fromByteOffset: 2 * size, as: Vector.self)
                    x3 += raw.loadUnaligned(fromByteOffset: 3 * size, as: Vector.self)
                }
            }
            raw.storeBytes(of: x0, as: Vector.self)
            raw.storeBytes(of: x1, toByteOffset: size, as: Vector.self)
            if W.vectors > 2 {
                raw.storeBytes(of: x2, toByteOffset: 2 * size, as: Vector.self)
                raw.storeBytes(of: x3, toByteOffset: 3 * size, as: Vector.self)
            }
        } else {
            let width = Vector.scalarCount
            for j in 0..<columns {
                let vector = j < width ? v.v0 : j < 2 * width ? v.v1 : j < 3 * width ? v.v2 : v.v3
                let value = vector[j % width]
                row[j] = accumulate ? row[j] + value : value
            }
        }
    }

    /// The panel width of `kernelInCache`: the widest this build has.
    static let kernelPanelColumns = hasWidePanels ? WidePanel.columns : NarrowPanel.columns

    /// The `k` of one call of `kernelInCache`: its slice of a panel, 32 KB,
    /// fits in L1 with the tile of `A`.
    static let kernelK = 32 * 1024 / (kernelPanelColumns * MemoryLayout<Float>.size)

    /// Multiply-adds per call of `kernelInCache`.
    static let kernelMultiplyAdds = kernelK * mr * kernelPanelColumns

    /// Runs the micro-kernel `calls` times on one tile of a row-major `A`
    /// (read in place, as a product reads it) and one `kernelK` slice of
    /// the widest panel of `B`, which stay in L1, adding
    /// into one block of `C`, and returns a value of `C` (use it, so the
    /// work is not dropped): what the kernel does when no cache misses slow
    /// it, for comparing with a whole product (see `bench kernel`).
    static func kernelInCache(calls: Int) -> Float {
        let (k, width) = (kernelK, kernelPanelColumns)
        let aTile = [Float](repeating: 1e-3, count: k * mr)
        // One panel of `B`, packed as a product packs it (64-byte aligned).
        let b = [Float](repeating: 1e-3, count: k * width)
        let packedB = b.withUnsafeBufferPointer { packed($0.baseAddress!, k: k, n: width, rowStride: width, columnStride: 1) }
        precondition(panelWidth(of: packedB) == width, "kernelInCache: \(width) columns should pack into one panel")
        var c = [Float](repeating: 0, count: mr * width)
        aTile.withUnsafeBufferPointer { a in
            packedB.withUnsafeBufferPointer { packedB in
                c.withUnsafeMutableBufferPointer { c in
                    let panel = panels(of: packedB.baseAddress!)
                    for _ in 0..<calls {
                        if hasWidePanels {
                            inPlace(WidePanel.self, rows: mr, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                    b: panel, c: c.baseAddress!, ldc: width, columns: width, accumulate: true)
                        } else {
                            inPlace(NarrowPanel.self, rows: mr, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                    b: panel, c: c.baseAddress!, ldc: width, columns: width, accumulate: true)
                        }
                    }
                }
            }
        }
        return c[0]
    }

    /// The plain triple loop `C = A · B` (row-major, no strides) that the
    /// fast path is tested against.
    static func referenceMultiply(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total: Float = 0
                for p in 0..<k { total += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = total
            }
        }
        return c
    }
}

extension GEMM.PanelWidth {
    /// Columns of a panel of this width.
    static var columns: Int { vectors * GEMM.Vector.scalarCount }
}
