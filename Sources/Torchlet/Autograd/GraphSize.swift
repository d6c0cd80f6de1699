/// The size of the autograd graph behind a tensor: how many recorded
/// operations `backward()` would walk and how many bytes of values they
/// keep alive.
///
/// PyTorch has no single call for this (one walks `grad_fn.next_functions`,
/// or watches `torch.cuda.memory_allocated()`); Torchlet counts it so that a
/// lesson can show a graph growing.
public struct GraphSize: Hashable, Sendable, CustomStringConvertible {
    /// The recorded operations (tensors with a backward rule), each counted once.
    public var nodes: Int
    /// Four bytes per value of every recorded result, plus the activations a
    /// fused kernel (the LSTM layer) saves for backward. Leaves (parameters,
    /// inputs) are not counted: they live on without the graph.
    public var bytes: Int

    public init(nodes: Int, bytes: Int) {
        self.nodes = nodes
        self.bytes = bytes
    }

    public var description: String { "\(nodes) nodes, \(bytes) bytes" }
}

extension Tensor {
    /// Measures the graph that `backward()` on this tensor would walk: the
    /// operations recorded since the leaves, each counted once however many
    /// paths reach it. A leaf, or a result made under `withNoGrad` or
    /// `detached()`, has an empty graph.
    ///
    /// ```swift
    /// let x = Tensor([1, 2], shape: [2], requiresGrad: true)
    /// let y = (x * x).sum()
    /// y.graphSize()              // 2 nodes (mul, sum), 12 bytes
    /// y.detached().graphSize()   // 0 nodes, 0 bytes
    /// ```
    public func graphSize() -> GraphSize {
        var size = GraphSize(nodes: 0, bytes: 0)
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack = [self]   // an explicit stack: a graph unrolled over many steps is deep
        while let tensor = stack.popLast() {
            guard tensor.backwardRule != nil else { continue }
            size.nodes += 1
            size.bytes += 4 * (tensor.scalars.count + tensor.savedScalarCount)
            for input in tensor.inputs where seen.insert(ObjectIdentifier(input)).inserted {
                stack.append(input)
            }
        }
        return size
    }
}
