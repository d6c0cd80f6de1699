extension Init {
    /// Fills `tensor` with a (semi-)orthogonal matrix drawn at random, like `init.orthogonal_`.
    ///
    /// ```
    /// A ~ N(0, 1)^(rows × cols),   rows = shape[0],   cols = count / rows
    /// A = Q R                       (QR of Aᵀ instead when rows < cols)
    /// Q ← Q · diag(sign(diag R))   (the sign correction)
    /// w = gain · Q                  (Qᵀ when rows < cols), reshaped to shape
    /// ```
    /// A tall result has orthonormal columns (`wᵀw = gain² I`), a wide one
    /// orthonormal rows (`w wᵀ = gain² I`), a square one both. Saxe et al.
    /// (2014) show such matrices keep a signal's norm through many
    /// multiplications, which is why recurrent weights use them.
    ///
    /// The sign correction: a QR decomposition is unique only up to the
    /// signs of `R`'s diagonal, and Householder's choice of those signs
    /// depends on the data, so `Q` alone would not be uniformly distributed
    /// over the orthogonal matrices (Mezzadri 2007). Flipping each column of
    /// `Q` by the sign of `R`'s diagonal gives the unique `Q` whose `R` has a
    /// positive diagonal: a function of `A` alone, Haar-distributed. (An
    /// exact zero on the diagonal, which has probability 0, keeps its column:
    /// PyTorch's `sign(0) = 0` would zero it.)
    ///
    /// Draws `rows · cols` normal values from `generator`, in row-major order
    /// of the `rows × cols` matrix. A tensor with no values is left alone.
    ///
    /// - Precondition: `tensor` has at least 2 dimensions.
    /// - Complexity: O(rows · cols · min(rows, cols)).
    @discardableResult
    public static func orthogonal(_ tensor: Tensor, gain: Float = 1, generator: Generator = .default) -> Tensor {
        precondition(
            tensor.rank >= 2,
            "Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape \(tensor.shape)")
        if tensor.count == 0 { return tensor }
        let rows = tensor.shape[0]
        let cols = tensor.count / rows
        let gaussian = (0..<(rows * cols)).map { _ in generator.nextNormal() }
        let q = orthogonalFactor(of: gaussian, rows: rows, cols: cols)
        assign(tensor, q.map { gain * $0 }, op: "Init.orthogonal")
        return tensor
    }

    /// The orthogonal factor that `orthogonal` makes from a given `rows × cols`
    /// matrix (row-major): QR with the sign correction, transposed for a
    /// wide matrix.
    ///
    /// ```
    /// tall or square:  A  = Q R,  result = Q · diag(sign(diag R))          rows × cols
    /// wide:            Aᵀ = Q R,  result = (Q · diag(sign(diag R)))ᵀ      rows × cols
    /// ```
    /// Deterministic: the same `a` always gives the same result, the `Q` of
    /// the QR decomposition whose `R` has a positive diagonal.
    ///
    /// - Precondition: `a.count == rows · cols`.
    public static func orthogonalFactor(of a: [Float], rows: Int, cols: Int) -> [Float] {
        precondition(a.count == rows * cols, "Init.orthogonalFactor: \(a.count) values do not fill \(rows) × \(cols)")
        let wide = rows < cols
        // QR needs a tall matrix: factor Aᵀ (cols × rows) when A is wide.
        let (m, n) = wide ? (cols, rows) : (rows, cols)
        let tall = wide ? transposedMatrix(a, rows: rows, cols: cols) : a
        var (q, r) = householderQR(tall, rows: m, cols: n)   // q: m × n, r: n × n
        for j in 0..<n where r[j * n + j] < 0 {
            for i in 0..<m { q[i * n + j] = -q[i * n + j] }
        }
        return wide ? transposedMatrix(q, rows: m, cols: n) : q
    }

    /// A row-major `rows × cols` matrix transposed to `cols × rows`.
    static func transposedMatrix(_ a: [Float], rows: Int, cols: Int) -> [Float] {
        var t = [Float](repeating: 0, count: a.count)
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = a[i * cols + j] } }
        return t
    }
}
