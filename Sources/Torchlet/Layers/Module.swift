/// The base class of every layer and model, like `torch.nn.Module`: it holds
/// named parameters and child modules, and a train/eval mode.
///
/// A subclass registers what it owns in its initializer, under PyTorch's
/// names, and defines `callAsFunction` for its forward pass:
///
/// ```swift
/// final class Tagger: Module {
///     let embedding: Embedding
///     let lstm: LSTM
///     init(...) {
///         embedding = Embedding(numEmbeddings: 100, embeddingDim: 8)
///         lstm = LSTM(inputSize: 8, hiddenSize: 16)
///         super.init()
///         registerModule("embedding", embedding)
///         registerModule("lstm", lstm)
///     }
/// }
/// tagger.namedParameters().map(\.name)  // ["embedding.weight", "lstm.weight_ih_l0", …]
/// ```
open class Module {
    /// Whether the module is in training mode (dropout active); see `train()`
    /// and `eval()`.
    public private(set) var isTraining = true

    private var ownParameters: [(name: String, tensor: Tensor)] = []
    private var children: [(name: String, module: Module)] = []

    public init() {}

    /// Adds `tensor` as a parameter called `name`, and makes it require grad.
    public func registerParameter(_ name: String, _ tensor: Tensor) {
        precondition(!ownParameters.contains { $0.name == name }, "registerParameter: \(name) is registered twice")
        tensor.requiresGrad = true
        ownParameters.append((name, tensor))
    }

    /// Makes `tensor` the parameter called `name`, in place of the tensor
    /// registered under that name, and makes it require grad. A layer calls
    /// it when its weight is assigned another tensor (`Linear.weight`).
    ///
    /// - Precondition: a parameter called `name` is registered.
    public func replaceParameter(_ name: String, with tensor: Tensor) {
        let index = ownParameters.firstIndex { $0.name == name }
        precondition(index != nil, "replaceParameter: no parameter called \(name); registered: \(ownParameters.map(\.name))")
        tensor.requiresGrad = true
        ownParameters[index!].tensor = tensor
    }

    /// Adds `module` as a child called `name`; its parameters appear as
    /// `name.parameter`.
    public func registerModule(_ name: String, _ module: Module) {
        precondition(!children.contains { $0.name == name }, "registerModule: \(name) is registered twice")
        children.append((name, module))
    }

    /// Every parameter with its dotted name, own parameters first, then each
    /// child's in registration order, like `named_parameters()`.
    ///
    /// A tensor registered under several names (a shared, *tied* weight,
    /// `decoder.weight = embedding.weight`) is listed once, under the first
    /// name, as PyTorch's `named_parameters(remove_duplicate=True)` does: an
    /// optimizer given `parameters()` then updates it once per step, and
    /// `parameterCount` counts it once. `removingDuplicates: false` lists
    /// every name, as `state_dict()` does.
    public func namedParameters(removingDuplicates: Bool = true) -> [(name: String, tensor: Tensor)] {
        var result = ownParameters
        for (childName, child) in children {
            result += child.namedParameters(removingDuplicates: false).map { ("\(childName).\($0.name)", $0.tensor) }
        }
        guard removingDuplicates else { return result }
        var seen = Set<ObjectIdentifier>()
        return result.filter { seen.insert(ObjectIdentifier($0.tensor)).inserted }
    }

    /// Every parameter once, in the order of `namedParameters()`.
    public func parameters() -> [Tensor] {
        namedParameters().map(\.tensor)
    }

    /// The total number of trainable values, a shared tensor counted once.
    public var parameterCount: Int {
        parameters().reduce(0) { $0 + $1.count }
    }

    /// Sets training mode on this module and every child, like
    /// `module.train(mode)`.
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for (_, child) in children { child.train(mode) }
    }

    /// Sets evaluation mode (dropout off), like `module.eval()`.
    public func eval() {
        train(false)
    }

    /// Resets every parameter's gradient, like `module.zero_grad()`.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }
}
