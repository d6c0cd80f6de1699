import Foundation

/// The two passes of the fused cross-entropy (see ``crossEntropy(_:targets:ignoreIndex:reduction:)``),
/// over the rows of `[N, C]` logits.
///
/// A language model's decoder scores the whole vocabulary at every token
/// (2,240 × 10,000 values for Day 8's benchmark step), so this is shaped for
/// speed:
/// - **Nothing of size `[N, C]` is kept.** Forward saves two numbers per row,
///   the maximum `m` and `log Σ exp(x − m)`; backward recomputes the softmax
///   from the logits, which the graph holds anyway, and writes the gradient
///   `w · (softmax − onehot)` straight into its result. (Log-softmax then
///   NLL keep a second `[N, C]` array alive and write two more in backward.)
/// - **Eight values at a time**, with `VectorMath.exp` instead of one call
///   to `expf` per value; the last `C mod 8` values go through the same
///   vector code, masked.
/// - **Rows are independent**, so large inputs split them between threads
///   (each row's arithmetic is the same on any thread count).
enum CrossEntropyKernel {
    typealias V = SIMD8<Float>

    /// Values per thread below which a second thread does not pay.
    static let minimumValuesPerThread = 1 << 18

    /// Runs `body(rows)` over `0..<rows` in one contiguous part per thread.
    static func forEachRowRange(rows: Int, columns: Int, _ body: (Range<Int>) -> Void) {
        let threads = min(Parallelism.threadCount, rows, max(1, rows * columns / minimumValuesPerThread))
        if threads <= 1 {
            body(0..<rows)
            return
        }
        Parallelism.perform(threads) { t in
            body((rows * t / threads)..<(rows * (t + 1) / threads))
        }
    }

    /// For every row, its maximum `m` and `log Σⱼ exp(xⱼ − m)`.
    ///
    /// Subtracting the maximum keeps `exp` from overflowing; keeping `m` and
    /// the log-sum apart lets callers write `(x − m) − logΣ`, which does not
    /// round the small log-sum away when `m` is large.
    static func rowMaxAndLogSum(_ logits: [Float], rows: Int, columns: Int) -> (max: [Float], logSum: [Float]) {
        var maxima = [Float](repeating: 0, count: rows), logSums = [Float](repeating: 0, count: rows)
        logits.withUnsafeBufferPointer { x in
        maxima.withUnsafeMutableBufferPointer { maxima in
        logSums.withUnsafeMutableBufferPointer { logSums in
            forEachRowRange(rows: rows, columns: columns) { range in
                for row in range {
                    let p = x.baseAddress! + row * columns
                    let m = rowMax(p, count: columns)
                    maxima[row] = m
                    logSums[row] = Foundation.log(sumOfExp(p, count: columns, minus: m))
                }
            }
        }}}
        return (maxima, logSums)
    }

    /// The gradient with respect to the logits: row `r` is
    /// `weights[r] · (softmax(x_r) − onehot(targets[r]))`, zero where the
    /// weight is zero (ignored targets), with `softmax(x)ⱼ = exp((xⱼ − m) − logΣ)`.
    static func gradient(
        _ logits: [Float], rows: Int, columns: Int, max maxima: [Float], logSum logSums: [Float],
        targets: [Int], weights: [Float]
    ) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { gx, count in
            logits.withUnsafeBufferPointer { x in
                forEachRowRange(rows: rows, columns: columns) { range in
                    for row in range {
                        let src = x.baseAddress! + row * columns, dst = gx.baseAddress! + row * columns
                        let w = weights[row]
                        if w == 0 {
                            dst.initialize(repeating: 0, count: columns)
                            continue
                        }
                        writeScaledSoftmax(src, dst, count: columns, minus: maxima[row], logSum: logSums[row], scale: w)
                        dst[targets[row]] -= w
                    }
                }
            }
            count = rows * columns
        }
    }

    // Each loop below runs over whole vectors and then handles the last
    // `count mod 8` values once: with the partial load inside the loop,
    // the compiler assembled every vector lane by lane (measured 3–4× slower
    // on the 2,240 × 10,000 gradient).

    /// The largest of `count` floats at `p` (−∞ for none).
    @inline(__always)
    static func rowMax(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var best = V(repeating: -.infinity)
        var j = 0
        while j + 8 <= count {
            let v = UnsafeRawPointer(p + j).loadUnaligned(as: V.self)
            best.replace(with: v, where: v .> best)
            j += 8
        }
        var result = best.max()
        while j < count {
            result = Swift.max(result, p[j])
            j += 1
        }
        return result
    }

    /// `Σⱼ exp(p[j] − m)` over `count` floats.
    @inline(__always)
    static func sumOfExp(_ p: UnsafePointer<Float>, count: Int, minus m: Float) -> Float {
        var total = V()
        var j = 0
        while j + 8 <= count {
            total += VectorMath.exp(UnsafeRawPointer(p + j).loadUnaligned(as: V.self) - m)
            j += 8
        }
        if j < count {
            // Lanes past the end load as 0 and would add exp(−m): mask them.
            let e = VectorMath.exp(VectorMath.load(p + j, count: count - j) - m)
            total += e.replacing(with: 0, where: lanes(from: count - j))
        }
        return total.sum()
    }

    /// `dst[j] = scale · exp((src[j] − m) − logSum)` for `count` floats.
    @inline(__always)
    static func writeScaledSoftmax(
        _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, minus m: Float, logSum: Float, scale: Float
    ) {
        var j = 0
        while j + 8 <= count {
            let shifted = (UnsafeRawPointer(src + j).loadUnaligned(as: V.self) - m) - logSum
            UnsafeMutableRawPointer(dst + j).storeBytes(of: VectorMath.exp(shifted) * scale, as: V.self)
            j += 8
        }
        if j < count {
            let shifted = (VectorMath.load(src + j, count: count - j) - m) - logSum
            VectorMath.store(VectorMath.exp(shifted) * scale, dst + j, count: count - j)
        }
    }

    /// A mask of lanes `n..<8`.
    @inline(__always)
    static func lanes(from n: Int) -> SIMDMask<SIMD8<Int32>> {
        SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8<Int32>(repeating: Int32(n))
    }
}
