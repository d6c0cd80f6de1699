/// Maps the gradient of an operation's output to the gradients of its inputs,
/// in the order of the operation's inputs (`nil` for an input that needs none).
typealias BackwardRule = ([Float]) -> [[Float]?]

/// Whether operations record themselves for backward, like
/// `torch.is_grad_enabled()`.
///
/// It is task-local, so one test's `withNoGrad` never leaks into another
/// test running at the same time.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations for autograd, like
/// `with torch.no_grad():`. Use it for evaluation and for parameter updates.
@discardableResult
public func withNoGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

extension Tensor {
    /// Whether `result` records a backward rule for an operation on
    /// `inputs`: gradients are enabled and some input requires them. A
    /// kernel asks first to skip saving what only backward reads.
    static func recordsGraph(for inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
    }

    /// Creates the result of the operation `op`, recording `backward` only
    /// when gradients are enabled and some input requires them; under
    /// ``withAnomalyDetection(_:)`` it first checks the values for NaN and
    /// infinity.
    static func result(
        op: String, shape: [Int], scalars: [Float], inputs: [Tensor], savedScalarCount: Int = 0,
        backward: @escaping BackwardRule
    ) -> Tensor {
        if AnomalyMode.isEnabled { AnomalyMode.checkForward(op, inputs: inputs, shape: shape, scalars: scalars) }
        if recordsGraph(for: inputs) {
            let result = Tensor(shape: shape, scalars: scalars, requiresGrad: true, inputs: inputs, backwardRule: backward, op: op)
            result.savedScalarCount = savedScalarCount
            return result
        }
        return Tensor(shape: shape, scalars: scalars, requiresGrad: false, inputs: [], backwardRule: nil)
    }

    /// Creates the several results of the operation `op` (an LSTM layer's
    /// output, final `h` and final `c`), recording one `backward` for all of
    /// them that receives the gradient of each (nil for a result that no
    /// gradient reached), like PyTorch's multi-output functions.
    ///
    /// How, without a combined tensor to copy the results out of and their
    /// gradients back into: the results' one input is a hidden node with no
    /// values, holding `inputs` and `backward`. Each result's backward
    /// hands its gradient to that node (through a box they share) and sends
    /// it an empty gradient, so `backward()` reaches the node after all of
    /// them (they use it) and runs `backward` on what they handed over.
    static func results(
        op: String, shapes: [[Int]], scalars: [[Float]], inputs: [Tensor], savedScalarCount: Int = 0,
        backward: @escaping (_ gradients: [[Float]?]) -> [[Float]?]
    ) -> [Tensor] {
        if AnomalyMode.isEnabled {
            for (shape, values) in zip(shapes, scalars) {
                AnomalyMode.checkForward(op, inputs: inputs, shape: shape, scalars: values)
            }
        }
        guard recordsGraph(for: inputs) else {
            return zip(shapes, scalars).map {
                Tensor(shape: $0, scalars: $1, requiresGrad: false, inputs: [], backwardRule: nil, op: op)
            }
        }
        let handed = HandedGradients(count: shapes.count)
        let node = Tensor(shape: [0], scalars: [], requiresGrad: true, inputs: inputs,
                          backwardRule: { _ in backward(handed.take()) }, op: op)
        node.savedScalarCount = savedScalarCount
        return shapes.indices.map { i in
            Tensor(shape: shapes[i], scalars: scalars[i], requiresGrad: true, inputs: [node], backwardRule: { g in
                handed.gradients[i] = g
                return [[]]
            }, op: op)
        }
    }

    /// A new leaf with the same values that is cut off from the graph, like
    /// PyTorch's `detach()`: no gradient flows back through it.
    public func detached() -> Tensor {
        Tensor(shape: shape, scalars: scalars, requiresGrad: false, inputs: [], backwardRule: nil)
    }

    /// Computes the gradient of this tensor with respect to every leaf that
    /// requires grad, and adds it to the leaf's `grad`.
    ///
    /// The graph is walked with an explicit stack (no recursion), so a graph
    /// unrolled over 10,000 steps does not overflow the call stack. The graph
    /// is kept, so calling `backward()` twice adds the gradients twice
    /// (PyTorch needs `retain_graph=True` for that).
    ///
    /// Under ``withAnomalyDetection(_:)`` every gradient is checked for NaN
    /// and infinity, and the first operation whose backward made one stops
    /// the program with a message naming it.
    ///
    /// - Parameter gradient: the gradient of some scalar with respect to this
    ///   tensor; omit it for a one-element tensor (it is then 1).
    /// - Precondition: this tensor requires grad; `gradient` has its shape.
    public func backward(gradient: Tensor? = nil) {
        precondition(
            requiresGrad,
            "backward: this tensor does not require grad (no input has requiresGrad, or it was made inside withNoGrad)")
        let seed: [Float]
        if let gradient {
            precondition(
                gradient.shape == shape,
                "backward: gradient shape \(gradient.shape) differs from tensor shape \(shape)")
            seed = gradient.scalars
        } else {
            precondition(
                count == 1,
                "backward: a gradient can be implied only for a one-element output; got shape \(shape)")
            seed = [1]
        }

        let detectAnomalies = AnomalyMode.isEnabled
        let order = topologicalOrder()
        var grads: [ObjectIdentifier: [Float]] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let g = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let rule = node.backwardRule else {
                node.accumulateGrad(g)
                continue
            }
            let inputGrads = rule(g)
            if detectAnomalies { AnomalyMode.checkBackward(node, incoming: g, isSeed: node === self, inputGrads: inputGrads) }
            for (input, inputGrad) in zip(node.inputs, inputGrads) where input.requiresGrad {
                guard let inputGrad else { continue }
                let key = ObjectIdentifier(input)
                if var existing = grads.removeValue(forKey: key) {
                    addInPlace(&existing, inputGrad)
                    grads[key] = existing
                } else {
                    grads[key] = inputGrad
                }
            }
        }
    }

    /// Every node that requires grad and leads to `self`, inputs before the
    /// operations that use them (iterative depth-first post-order).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: Tensor, expanded: Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// Adds `g` to this leaf's `grad`, creating it on first use.
    private func accumulateGrad(_ g: [Float]) {
        if let grad {
            addInPlace(&grad.scalars, g)
        } else {
            grad = Tensor(shape: shape, scalars: g, requiresGrad: false, inputs: [], backwardRule: nil)
        }
    }

    /// Resets this tensor's gradient, like `tensor.grad = None`.
    public func zeroGrad() {
        grad = nil
    }
}

/// `a += b`, element by element.
@inline(__always)
func addInPlace(_ a: inout [Float], _ b: [Float]) {
    precondition(a.count == b.count, "internal: gradient sizes \(a.count) and \(b.count) differ")
    a.withUnsafeMutableBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            for i in 0..<a.count { a[i] += b[i] }
        }
    }
}

/// The gradients that the results of one multi-result operation hand to
/// its hidden node during one `backward()` (see `Tensor.results`).
private final class HandedGradients {
    var gradients: [[Float]?]

    init(count: Int) { gradients = Array(repeating: nil, count: count) }

    /// The gradients handed over so far, leaving none for the next `backward()`.
    func take() -> [[Float]?] {
        defer { gradients = Array(repeating: nil, count: gradients.count) }
        return gradients
    }
}
