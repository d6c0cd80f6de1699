/// Joining and splitting: concatenate, stack, split and chunk.
extension Tensor {
    /// The tensors joined along an existing dimension, like `torch.cat`.
    ///
    /// - Precondition: all shapes agree except on `dim`.
    public convenience init(concatenating tensors: [Tensor], dim: Int = 0) {
        precondition(!tensors.isEmpty, "concatenating: needs at least one tensor")
        let first = tensors[0]
        let d = first.normalizedDim(dim, op: "concatenating")
        for t in tensors {
            precondition(
                t.rank == first.rank && t.shape.enumerated().allSatisfy { $0.offset == d || $0.element == first.shape[$0.offset] },
                "concatenating: shapes \(first.shape) and \(t.shape) differ outside dimension \(dim)")
        }
        let (outer, _, inner) = first.split(around: d)
        let sizes = tensors.map { $0.shape[d] }
        let total = sizes.reduce(0, +)
        var out = [Float]()
        out.reserveCapacity(outer * total * inner)
        for o in 0..<outer {
            for (t, size) in zip(tensors, sizes) {
                let base = o * size * inner
                out.append(contentsOf: t.scalars[base..<(base + size * inner)])
            }
        }
        var shape = first.shape
        shape[d] = total
        if AnomalyMode.isEnabled { AnomalyMode.checkForward("concatenating", inputs: tensors, shape: shape, scalars: out) }
        let record = GradMode.isEnabled && tensors.contains { $0.requiresGrad }
        self.init(shape: shape, scalars: out, requiresGrad: record, inputs: record ? tensors : [],
                  backwardRule: record ? { g in
            var grads = sizes.map { [Float](repeating: 0, count: outer * $0 * inner) }
            var position = 0
            for o in 0..<outer {
                for (k, size) in sizes.enumerated() {
                    let length = size * inner
                    for j in 0..<length { grads[k][o * length + j] = g[position + j] }
                    position += length
                }
            }
            return grads
        } : nil, op: "concatenating")
    }

    /// The tensors joined along a new dimension, like `torch.stack`.
    ///
    /// - Precondition: all shapes are equal.
    public convenience init(stacking tensors: [Tensor], dim: Int = 0) {
        precondition(!tensors.isEmpty, "stacking: needs at least one tensor")
        for t in tensors {
            precondition(t.shape == tensors[0].shape, "stacking: shapes \(tensors[0].shape) and \(t.shape) differ")
        }
        let d = tensors[0].normalizedDim(dim, op: "stacking", rank: tensors[0].rank + 1)  // the new dimension's place
        self.init(concatenating: tensors.map { $0.unsqueezed(dim: d) }, dim: d)
    }

    /// Consecutive pieces along `dim` with the given sizes, like
    /// `torch.split(tensor, sizes, dim)`.
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        let d = normalizedDim(dim, op: "split")
        precondition(sizes.allSatisfy { $0 >= 0 }, "split: sizes \(sizes) must not be negative")
        precondition(sizes.reduce(0, +) == shape[d], "split: sizes \(sizes) do not add up to \(shape[d]), dimension \(dim) of shape \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return narrowed(dim: d, start: start, length: size)
        }
    }

    /// `chunks` equal pieces along `dim`, like `tensor.chunk` when the size
    /// divides evenly (the LSTM's four gates).
    ///
    /// - Precondition: `chunks` divides the size of `dim`.
    public func chunked(into chunks: Int, dim: Int = 0) -> [Tensor] {
        let d = normalizedDim(dim, op: "chunked")
        precondition(chunks > 0 && shape[d] % chunks == 0, "chunked: \(chunks) chunks do not divide dimension \(dim) of shape \(shape)")
        return split(sizes: [Int](repeating: shape[d] / chunks, count: chunks), dim: d)
    }
}
