/// A problem with a state dict file or its contents; the description names
/// the file, the tensor's key where one applies, and what was wrong.
///
/// ```swift
/// print(error)   // model.safetensors: 'lstm.weight_ih_l0': shape [-16, -3] has a negative dimension
/// ```
public struct StateDictError: Error, CustomStringConvertible, Sendable {
    /// The file's path (or another name for the source, such as "state dict").
    public let path: String
    /// The key of the tensor concerned, or `nil` when the problem is the whole file.
    public let key: String?
    /// What was wrong, and what was expected.
    public let problem: String

    public init(path: String, key: String? = nil, problem: String) {
        (self.path, self.key, self.problem) = (path, key, problem)
    }

    public var description: String {
        if let key { return "\(path): '\(key)': \(problem)" }
        return "\(path): \(problem)"
    }
}

extension StateDict {
    /// The element count of `shape`, or an error naming `key` when a
    /// dimension is negative or the product (or its size in float32 bytes)
    /// overflows.
    static func elementCount(of shape: [Int], key: String, path: String) throws -> Int {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw StateDictError(path: path, key: key, problem: "shape \(shape) has a negative dimension (\(negative))")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw StateDictError(path: path, key: key, problem: "shape \(shape) has more elements than fit in memory (overflow)")
            }
            count = product
        }
        guard !count.multipliedReportingOverflow(by: MemoryLayout<Float>.size).overflow else {
            throw StateDictError(path: path, key: key, problem: "shape \(shape) has more elements than fit in memory (overflow)")
        }
        return count
    }
}
