/// Indexing: slices along a dimension, selecting rows by index, gathering.
extension Tensor {
    /// `length` consecutive entries of dimension `dim` starting at `start`,
    /// like `tensor.narrow(dim, start, length)`.
    public func narrowed(dim: Int, start: Int, length: Int) -> Tensor {
        let d = normalizedDim(dim, op: "narrowed")
        precondition(
            start >= 0 && length >= 0 && start + length <= shape[d],
            "narrowed: range \(start)..<\(start + length) is out of bounds for dimension \(dim) of shape \(shape)")
        let (outer, size, inner) = split(around: d)
        var out = [Float]()
        out.reserveCapacity(outer * length * inner)
        for o in 0..<outer {
            let base = (o * size + start) * inner
            out.append(contentsOf: scalars[base..<(base + length * inner)])
        }
        var outShape = shape
        outShape[d] = length
        let n = count
        return Tensor.result(op: "narrowed", shape: outShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: n)
            // Block copies, one per outer index (`selected`, `chunked` and
            // `split` run on this too).
            gx.withUnsafeMutableBufferPointer { gx in
                g.withUnsafeBufferPointer { g in
                    for o in 0..<outer where length * inner > 0 {
                        let base = (o * size + start) * inner
                        (gx.baseAddress! + base).update(from: g.baseAddress! + o * length * inner, count: length * inner)
                    }
                }
            }
            return [gx]
        }
    }

    /// Entry `index` of dimension `dim`, with that dimension removed, like
    /// `tensor.select(dim, index)`; a negative index counts from the end.
    public func selected(dim: Int, index: Int) -> Tensor {
        let d = normalizedDim(dim, op: "selected")
        let i = index < 0 ? index + shape[d] : index
        precondition(i >= 0 && i < shape[d], "selected: index \(index) is out of bounds for dimension \(dim) of shape \(shape)")
        return narrowed(dim: d, start: i, length: 1).squeezed(dim: d)
    }

    /// Entry `index` of the first dimension, like `tensor[index]`.
    public subscript(index: Int) -> Tensor {
        selected(dim: 0, index: index)
    }

    /// The entries of dimension `dim` at `indices`, in that order, like
    /// `torch.index_select`; rows may repeat (their gradients add up).
    public func indexSelect(dim: Int, indices: [Int]) -> Tensor {
        let d = normalizedDim(dim, op: "indexSelect")
        let (outer, size, inner) = split(around: d)
        for i in indices {
            precondition(i >= 0 && i < size, "indexSelect: index \(i) is out of bounds for dimension \(dim) of shape \(shape)")
        }
        var out = [Float](repeating: 0, count: outer * indices.count * inner)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for outerIndex in 0..<outer {
                    for (k, i) in indices.enumerated() {
                        let src = (outerIndex * size + i) * inner
                        let dst = (outerIndex * indices.count + k) * inner
                        for j in 0..<inner { o[dst + j] = x[src + j] }
                    }
                }
            }
        }
        var outShape = shape
        outShape[d] = indices.count
        let n = count
        return Tensor.result(op: "indexSelect", shape: outShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: n)
            for outerIndex in 0..<outer {
                for (k, i) in indices.enumerated() {
                    let src = (outerIndex * size + i) * inner
                    let dst = (outerIndex * indices.count + k) * inner
                    for j in 0..<inner { gx[src + j] += g[dst + j] }
                }
            }
            return [gx]
        }
    }

    /// Values picked along `dim` by an index array of the output's shape,
    /// like `torch.gather(input, dim, index)`:
    ///
    /// ```
    /// out[i][j] = input[index[i][j]][j]   (dim 0)
    /// out[i][j] = input[i][index[i][j]]   (dim 1)
    /// ```
    /// `index` has the same rank as this tensor and, on every other
    /// dimension, the same size.
    public func gather(dim: Int, index: [Int], indexShape: [Int]) -> Tensor {
        let d = normalizedDim(dim, op: "gather")
        precondition(indexShape.count == rank, "gather: index shape \(indexShape) and input shape \(shape) differ in rank")
        precondition(index.count == indexShape.reduce(1, *), "gather: \(index.count) indices do not fill shape \(indexShape)")
        for k in 0..<rank where k != d {
            precondition(indexShape[k] == shape[k], "gather: index shape \(indexShape) and input shape \(shape) differ in dimension \(k)")
        }
        let (outer, size, inner) = split(around: d)
        let length = indexShape[d]
        var sources = [Int](repeating: 0, count: index.count)
        for o in 0..<outer {
            for i in 0..<length {
                for j in 0..<inner {
                    let position = (o * length + i) * inner + j
                    let k = index[position]
                    precondition(k >= 0 && k < size, "gather: index \(k) is out of bounds for dimension \(dim) of shape \(shape)")
                    sources[position] = (o * size + k) * inner + j
                }
            }
        }
        let out = sources.map { scalars[$0] }
        let n = count
        return Tensor.result(op: "gather", shape: indexShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: n)
            for (position, source) in sources.enumerated() { gx[source] += g[position] }
            return [gx]
        }
    }
}
