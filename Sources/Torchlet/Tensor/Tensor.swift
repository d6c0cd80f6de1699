import Foundation

/// An n-dimensional array of `Float` values, stored row-major, that records
/// the operations made with it so gradients can flow back (autograd).
///
/// `Tensor` is a class, as `torch.Tensor` is an object: two names can refer to
/// the same tensor, and an optimizer updates a parameter in place.
///
/// ```swift
/// let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
/// let y = (x * x).sum()   // 14
/// y.backward()
/// x.grad!.scalars         // [2, 4, 6]
/// ```
public final class Tensor {
    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]

    /// The values, row-major (the last dimension varies fastest).
    ///
    /// Like PyTorch's `tensor.data`: writing here bypasses autograd, which is
    /// what optimizers and initializers want. The values may change, their
    /// number may not: a tensor's shape is fixed when it is made.
    ///
    /// - Precondition: after a write, `scalars.count` is still the product
    ///   of `shape` (checked on every write, in every build).
    public var scalars: [Float] {
        // A didSet that does not read `oldValue` keeps in-place writes
        // (`t.scalars[i] = x`, `withUnsafeMutableBufferPointer`) in place
        // (SE-0268): the check costs one pass over `shape`, no copy.
        didSet { checkScalarCount() }
    }

    /// Whether gradients should be computed for this tensor.
    ///
    /// Set it on the leaves you want `grad` for (parameters, inputs);
    /// results of operations on them require grad automatically.
    public var requiresGrad: Bool

    /// The accumulated gradient of the last `backward()` calls, for a leaf.
    ///
    /// Gradients add up across calls until you reset them with `zeroGrad()`
    /// (or set `grad = nil`), exactly as in PyTorch. A gradient set by hand
    /// must have this tensor's shape, as PyTorch requires.
    public var grad: Tensor? {
        didSet {
            if let grad {
                precondition(grad.shape == shape,
                             "grad: a gradient of shape \(grad.shape) assigned to a tensor of shape \(shape); the shapes must match")
            }
        }
    }

    /// The tensors this one was computed from (empty for a leaf).
    let inputs: [Tensor]

    /// The name of the operation that made this tensor, such as `"mul"`
    /// (empty for a leaf); anomaly detection names it.
    let op: String

    /// Maps the gradient of the output to a gradient for each input
    /// (`nil` where an input needs none). `nil` for a leaf.
    let backwardRule: BackwardRule?

    /// How many values `backwardRule` keeps alive besides this tensor's own
    /// and its inputs' (the activations a fused kernel saves); counted by
    /// ``graphSize()``.
    var savedScalarCount = 0

    /// The designated initializer that every operation ends in.
    init(
        shape: [Int], scalars: [Float], requiresGrad: Bool, inputs: [Tensor], backwardRule: BackwardRule?, op: String = ""
    ) {
        self.shape = shape
        self.scalars = scalars
        self.requiresGrad = requiresGrad
        self.inputs = inputs
        self.backwardRule = backwardRule
        self.op = op
    }

    /// Creates a tensor with the given values and shape.
    ///
    /// - Precondition: `scalars.count` is the product of `shape`.
    public convenience init(_ scalars: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(
            scalars.count == shape.reduce(1, *),
            "Tensor: \(scalars.count) values do not fill shape \(shape) (\(shape.reduce(1, *)) needed)")
        self.init(shape: shape, scalars: scalars, requiresGrad: requiresGrad, inputs: [], backwardRule: nil)
    }

    /// Creates a scalar (zero-dimensional) tensor.
    public convenience init(_ scalar: Float, requiresGrad: Bool = false) {
        self.init([scalar], shape: [], requiresGrad: requiresGrad)
    }

    /// Creates a 1-D tensor from a list of values.
    public convenience init(_ vector: [Float], requiresGrad: Bool = false) {
        self.init(vector, shape: [vector.count], requiresGrad: requiresGrad)
    }

    /// Creates a 2-D tensor from rows of equal length.
    public convenience init(_ rows: [[Float]], requiresGrad: Bool = false) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Tensor: rows have different lengths")
        self.init(rows.flatMap { $0 }, shape: [rows.count, columns], requiresGrad: requiresGrad)
    }

    /// Stops with a message when a write to `scalars` changed their number.
    private func checkScalarCount() {
        var needed = 1
        for d in shape { needed *= d }
        precondition(
            scalars.count == needed,
            "scalars: \(scalars.count) values written to a tensor of shape \(shape), which holds \(needed); "
                + "a tensor's size cannot change: make a new Tensor(values, shape:) instead")
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of values.
    public var count: Int { scalars.count }

    /// The single value of a one-element tensor, like PyTorch's `item()`.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) values, not 1")
        return scalars[0]
    }

    /// Whether this tensor was created by the user rather than by an operation.
    public var isLeaf: Bool { backwardRule == nil }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) -> Int {
        shape[normalizedDim(dim, op: "size")]
    }

    /// Turns a possibly negative dimension into an index into `shape`.
    func normalizedDim(_ dim: Int, op: String, rank: Int? = nil) -> Int {
        let r = rank ?? self.rank
        let d = dim < 0 ? dim + r : dim
        precondition(d >= 0 && d < r, "\(op): dimension \(dim) is out of range for shape \(shape)")
        return d
    }
}

extension Tensor: CustomStringConvertible {
    /// A short rendering: the shape and the first values.
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4f", $0) }.joined(separator: ", ")
        let more = count > 8 ? ", …" : ""
        return "Tensor(shape: \(shape), [\(shown)\(more)]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}
