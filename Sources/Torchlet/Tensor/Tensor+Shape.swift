/// Shape changes: reshape, transpose, permute, flatten, squeeze and unsqueeze.
extension Tensor {
    /// The same values with a new shape, like `tensor.reshape`. One
    /// dimension may be `-1` and is then inferred.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        let inferred = target.indices.filter { target[$0] == -1 }
        precondition(inferred.count <= 1, "reshaped: at most one -1 allowed in \(newShape)")
        if let i = inferred.first {
            let known = target.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshaped: cannot reshape \(shape) to \(newShape)")
            target[i] = count / known
        }
        precondition(
            target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == count,
            "reshaped: cannot reshape \(shape) (\(count) values) to \(newShape)")
        return Tensor.result(op: "reshaped", shape: target, scalars: scalars, inputs: [self]) { g in [g] }
    }

    /// All dimensions from `startDim` on merged into one, like `torch.flatten`.
    public func flattened(startDim: Int = 0) -> Tensor {
        let d = rank == 0 ? 0 : normalizedDim(startDim, op: "flattened")
        return reshaped(to: Array(shape[..<d]) + [shape[d...].reduce(1, *)])
    }

    /// A size-1 dimension inserted at `dim`, like `tensor.unsqueeze`.
    public func unsqueezed(dim: Int) -> Tensor {
        let d = normalizedDim(dim, op: "unsqueezed", rank: rank + 1)
        var s = shape
        s.insert(1, at: d)
        return reshaped(to: s)
    }

    /// Dimension `dim` removed if its size is 1, like `tensor.squeeze(dim)`;
    /// a dimension of another size stays, as in PyTorch.
    public func squeezed(dim: Int) -> Tensor {
        let d = normalizedDim(dim, op: "squeezed")
        var s = shape
        guard shape[d] == 1 else { return reshaped(to: s) }
        s.remove(at: d)
        return reshaped(to: s)
    }

    /// The dimensions reordered, like `tensor.permute`: dimension `i` of the
    /// result is dimension `dims[i]` of this tensor.
    public func permuted(_ dims: [Int]) -> Tensor {
        let order = dims.map { normalizedDim($0, op: "permuted") }
        precondition(order.count == rank && Set(order).count == rank, "permuted: \(dims) is not a permutation of the \(rank) dimensions of \(shape)")
        let outShape = order.map { shape[$0] }
        // When the last dimension stays last (the common [B, T, E] ↔ [T, B, E]
        // swap), whole rows move together: permute the row offsets only and
        // copy each row as a block.
        let keepsLast = order.last == rank - 1
        let rowLength = keepsLast ? shape.last! : 1
        let rowOrder = keepsLast ? Array(order.dropLast()) : order
        let rowShape = keepsLast ? Array(shape.dropLast()) : shape
        // The offset in the input of each output row.
        let offsets = Tensor.permutedOffsets(shape: rowShape, order: rowOrder).map { $0 * rowLength }
        let n = count
        var out = [Float](repeating: 0, count: n)
        Tensor.moveRows(from: scalars, to: &out, offsets: offsets, rowLength: rowLength, gather: true)
        return Tensor.result(op: "permuted", shape: outShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: n)
            Tensor.moveRows(from: g, to: &gx, offsets: offsets, rowLength: rowLength, gather: false)
            return [gx]
        }
    }

    /// Copies rows of `rowLength` values: row `i` of `destination` from row
    /// `offsets[i]` of `source` (`gather`), or the reverse (scatter).
    static func moveRows(from source: [Float], to destination: inout [Float], offsets: [Int], rowLength: Int, gather: Bool) {
        source.withUnsafeBufferPointer { src in
            destination.withUnsafeMutableBufferPointer { dst in
                for (i, offset) in offsets.enumerated() {
                    let (from, to) = gather ? (offset, i * rowLength) : (i * rowLength, offset)
                    for j in 0..<rowLength { dst[to + j] = src[from + j] }
                }
            }
        }
    }

    /// Dimensions `dim0` and `dim1` swapped, like `tensor.transpose`.
    public func transposed(_ dim0: Int = 0, _ dim1: Int = 1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(normalizedDim(dim0, op: "transposed"), normalizedDim(dim1, op: "transposed"))
        return permuted(order)
    }

    /// For each element of the permuted tensor, its offset in the original.
    static func permutedOffsets(shape: [Int], order: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        let outShape = order.map { shape[$0] }
        let outStrides = order.map { strides[$0] }
        return Broadcasting.offsets(iterating: outShape, strides: outStrides)
    }
}
