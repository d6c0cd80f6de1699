import Torchlet

/// Throws a `CheckFailure` unless `got` has `expected`'s shape and values
/// (within `tolerance`, relative for large values).
public func requireClose(
    _ got: Tensor, _ expected: Tensor, tolerance: Float = 1e-4,
    _ what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil
) throws {
    try requireEqual(got.shape, expected.shape, "the shape of \(what())", hint: hint())
    try requireClose(got.scalars, expected.scalars, tolerance: tolerance, what(), hint: hint())
}

/// Throws a `CheckFailure` unless `tensor` has a gradient close to
/// `expected`'s gradient.
public func requireGradClose(
    _ tensor: Tensor, _ expected: Tensor, tolerance: Float = 1e-4,
    _ what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil
) throws {
    guard let got = tensor.grad else {
        throw CheckFailure("the gradient of \(what()) is missing", expected: "a gradient", got: "nil",
                           hint: "is every input used, and does the result come from tensor operations (not copied values)?")
    }
    try requireClose(got, expected.grad!, tolerance: tolerance, "the gradient of \(what())", hint: hint())
}

/// A leaf copy of `tensor` with its own gradient.
public func leafCopy(_ tensor: Tensor, requiresGrad: Bool = true) -> Tensor {
    Tensor(tensor.scalars, shape: tensor.shape, requiresGrad: requiresGrad)
}
