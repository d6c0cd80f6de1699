import Foundation

/// The reduced QR decomposition of an `m × n` matrix by Householder
/// reflections, like `torch.linalg.qr(a, mode="reduced")`.
///
/// ```
/// A = Q R,   Q: m × k with orthonormal columns (QᵀQ = I),   R: k × n upper triangular,   k = min(m, n)
/// ```
/// Column `j` of `A` below the diagonal is zeroed by one reflection
/// `H = I − 2 v vᵀ / (vᵀv)` that maps `x = A[j..<m, j]` onto `β e₁`, with
///
/// ```
/// β = −sign(x₀) · ‖x‖,   v = x − β e₁
/// ```
/// the sign LAPACK's `geqrf` (and so PyTorch) uses. Choosing `β` opposite
/// to `x₀` makes `v₀ = x₀ + sign(x₀)‖x‖` a sum of two numbers of the same
/// sign: no cancellation, so `v` (and `Q`) stay accurate even when `x` is
/// nearly parallel to `e₁`. The work is done in `Double` and rounded to
/// `Float` at the end; the square of any `Float` lies well inside
/// `Double`'s range, so `‖x‖ = √(Σ xᵢ²)` needs no scaling against overflow
/// or underflow.
///
/// A column with nothing to zero below the diagonal (all zeros, or the
/// last row) gets no reflection (`H = I`, as LAPACK's `dlarfg` with
/// τ = 0), so a rank-deficient `A` still gives an orthonormal `Q`.
///
/// `R`'s diagonal is `β` for each column, so it may be negative: a QR
/// decomposition is unique only up to the signs of `R`'s diagonal, and
/// `orthogonal` fixes them afterwards (`Q · sign(diag R)`).
///
/// - Parameters:
///   - a: the matrix, row-major, `rows · cols` values.
/// - Returns: `q` (`rows × k`, row-major) and `r` (`k × cols`, row-major).
/// - Precondition: `a.count == rows · cols`.
/// - Complexity: O(m n k).
public func householderQR(_ a: [Float], rows m: Int, cols n: Int) -> (q: [Float], r: [Float]) {
    precondition(m >= 0 && n >= 0 && a.count == m * n,
                 "householderQR: \(a.count) values do not fill a \(m) × \(n) matrix")
    let k = min(m, n)
    // Work on a column-major copy: each step reads and updates whole columns.
    var w = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { w[j * m + i] = Double(a[i * n + j]) } }
    var reflectors: [[Double]] = []   // v for step j, of length m − j (empty: no reflection)
    for j in 0..<k {
        let x = Array(w[(j * m + j)..<(j * m + m)])
        // Nothing below the diagonal to zero (a 1-vector or zeros): H = I.
        if x.dropFirst().allSatisfy({ $0 == 0 }) {
            reflectors.append([])
            continue
        }
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let beta = x[0] >= 0 ? -norm : norm
        var v = x
        v[0] -= beta
        let vv = v.reduce(0) { $0 + $1 * $1 }
        // Column j becomes (β, 0, …, 0); the columns to its right get H applied.
        w[j * m + j] = beta
        for i in (j + 1)..<m { w[j * m + i] = 0 }
        for c in (j + 1)..<n {
            var dot = 0.0
            for i in 0..<v.count { dot += v[i] * w[c * m + j + i] }
            let s = 2 * dot / vv
            for i in 0..<v.count { w[c * m + j + i] -= s * v[i] }
        }
        reflectors.append(v)
    }
    // Q = H₀ H₁ ⋯ H_{k−1} applied to the first k columns of the identity,
    // the last reflection first.
    var q = [Double](repeating: 0, count: m * k)   // column-major m × k
    for j in 0..<k { q[j * m + j] = 1 }
    for j in stride(from: k - 1, through: 0, by: -1) where !reflectors[j].isEmpty {
        let v = reflectors[j]
        let vv = v.reduce(0) { $0 + $1 * $1 }
        for c in 0..<k {
            var dot = 0.0
            for i in 0..<v.count { dot += v[i] * q[c * m + j + i] }
            let s = 2 * dot / vv
            for i in 0..<v.count { q[c * m + j + i] -= s * v[i] }
        }
    }
    var qOut = [Float](repeating: 0, count: m * k)
    for i in 0..<m { for c in 0..<k { qOut[i * k + c] = Float(q[c * m + i]) } }
    var rOut = [Float](repeating: 0, count: k * n)
    for i in 0..<k { for c in i..<n { rOut[i * n + c] = Float(w[c * m + i]) } }
    return (qOut, rOut)
}
