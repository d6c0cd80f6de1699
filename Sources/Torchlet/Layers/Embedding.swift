/// A lookup table from token indices to vectors, like `nn.Embedding`.
///
/// `weight` is `[numEmbeddings, embeddingDim]`, drawn from N(0, 1). With a
/// `paddingIndex`, that row starts at zero and never receives a gradient, so
/// padding tokens stay zero vectors. A negative `paddingIndex` counts from
/// the end (`-1` is the last row), as in PyTorch; ``paddingIndex`` holds the
/// row it names.
public final class Embedding: Module {
    public let weight: Tensor
    public let paddingIndex: Int?

    public init(numEmbeddings: Int, embeddingDim: Int, paddingIndex: Int? = nil, generator: Generator = .default) {
        precondition(numEmbeddings >= 0 && embeddingDim >= 0,
                     "Embedding: numEmbeddings (\(numEmbeddings)) and embeddingDim (\(embeddingDim)) must not be negative")
        if let p = paddingIndex {
            precondition(p >= -numEmbeddings && p < numEmbeddings,
                         "Embedding: paddingIndex \(p) is out of range -\(numEmbeddings)..<\(numEmbeddings)")
        }
        let paddingIndex = paddingIndex.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        weight = .normal([numEmbeddings, embeddingDim], generator: generator)
        self.paddingIndex = paddingIndex
        if let p = paddingIndex {
            for j in 0..<embeddingDim { weight.scalars[p * embeddingDim + j] = 0 }
        }
        super.init()
        registerParameter("weight", weight)
    }

    /// The vectors of `indices`, shaped `shape + [embeddingDim]`.
    ///
    /// - Parameter shape: the shape of the index array (default: 1-D).
    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Tensor {
        let shape = shape ?? [indices.count]
        precondition(indices.count == shape.reduce(1, *), "Embedding: \(indices.count) indices do not fill shape \(shape)")
        let rows = weight.shape[0], dim = weight.shape[1]
        for i in indices {
            precondition(i >= 0 && i < rows, "Embedding: index \(i) is out of range 0..<\(rows)")
        }
        // Whole rows copied through raw pointers: a language model looks up
        // thousands of rows per step, and backward adds each gradient row
        // back into its token's row (a scatter-add into one zeroed table).
        let out = [Float](unsafeUninitializedCapacity: indices.count * dim) { out, count in
            weight.scalars.withUnsafeBufferPointer { w in
                for (k, i) in indices.enumerated() {
                    (out.baseAddress! + k * dim).initialize(from: w.baseAddress! + i * dim, count: dim)
                }
            }
            count = indices.count * dim
        }
        let padding = paddingIndex
        let n = weight.count
        return Tensor.result(op: "Embedding", shape: shape + [dim], scalars: out, inputs: [weight]) { g in
            var gw = [Float](repeating: 0, count: n)
            gw.withUnsafeMutableBufferPointer { gw in
                g.withUnsafeBufferPointer { g in
                    for (k, i) in indices.enumerated() where i != padding {
                        let row = gw.baseAddress! + i * dim, source = g.baseAddress! + k * dim
                        for j in 0..<dim { row[j] += source[j] }
                    }
                }
            }
            return [gw]
        }
    }

    /// The vectors of a packed batch of token ids, with the same layout: the
    /// embedding step of a packed pipeline (`packSequence(ids)` → embedding →
    /// `LSTM`).
    ///
    /// ```
    /// packed.data [N] (ids as Float)  ->  result.data [N, embeddingDim]
    /// batchSizes, sortedIndices, unsortedIndices: unchanged
    /// ```
    ///
    /// - Precondition: `packed.data` is 1-D `[N]` and every value is an
    ///   integer in `0..<numEmbeddings`.
    public func callAsFunction(_ packed: PackedSequence) -> PackedSequence {
        let data = packed.data
        precondition(data.rank == 1, "Embedding: packed token ids should be 1-D [N]; got data shape \(data.shape)")
        let rows = weight.shape[0]
        let ids = data.scalars.enumerated().map { k, v -> Int in
            precondition(
                v.rounded() == v && v >= 0 && v < Float(rows),
                "Embedding: packed value \(v) at row \(k) is not a token id in 0..<\(rows)")
            return Int(v)
        }
        return packed.replacing(data: self(ids))
    }
}
