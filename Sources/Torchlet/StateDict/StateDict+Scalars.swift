/// Numbers, flags and names kept in a state dict's metadata, next to its
/// tensors: an optimizer's learning rate, a scheduler's epoch counter, a
/// checkpoint's epoch.
///
/// Each value is stored as its `description`, which Swift writes so that it
/// reads back exactly (`Float(x.description) == x` for every Float,
/// infinity included), so a state saved and loaded is bit for bit the same.
///
/// ```swift
/// var state = StateDict([])
/// state.setScalar(Float(0.1), forKey: "lr")     // metadata["lr"] == "0.1"
/// let lr: Float = try state.scalar("lr", source: "run.ckpt")
/// ```
extension StateDict {
    /// Sets the metadata `key` to `value`, written so it reads back exactly.
    public mutating func setScalar(_ value: some LosslessStringConvertible, forKey key: String) {
        metadata[key] = value.description
    }

    /// The metadata value `key`, read as a `T` (`Int`, `Float`, `Bool`, …).
    ///
    /// - Throws: `StateDictError` naming `source` and `key` when the key is
    ///   missing or its text is not a `T`.
    public func scalar<T: LosslessStringConvertible>(_ key: String, source: String) throws -> T {
        guard let text = metadata[key] else {
            throw StateDictError(path: source, key: key, problem: "missing from the saved state")
        }
        guard let value = T(text) else {
            throw StateDictError(path: source, key: key, problem: "'\(text)' is not a valid \(T.self)")
        }
        return value
    }

    /// An empty state dict for an object of `type` (an optimizer, a
    /// scheduler) made with `settings`, all in its metadata.
    init(type: String, settings: KeyValuePairs<String, String>) {
        self.init([])
        metadata["type"] = type
        for (key, value) in settings { metadata[key] = value }
    }

    /// Checks that this state was saved by an object of `type` made with
    /// the same `settings` as the one it is loaded into: settings such as
    /// momentum are fixed when an optimizer or a scheduler is made, so a
    /// state saved with other settings cannot be resumed exactly.
    ///
    /// - Throws: `StateDictError` naming `source` and the first key that is
    ///   missing or differs, with the saved value and the current one.
    func checkType(_ type: String, settings: KeyValuePairs<String, String>, source: String) throws {
        let saved: String = try scalar("type", source: source)
        guard saved == type else {
            throw StateDictError(path: source, key: "type", problem: "the state was saved by \(saved), not by \(type)")
        }
        for (key, value) in settings {
            try checkSetting(key, is: value, of: type, source: source)
        }
    }

    private func checkSetting(_ key: String, is current: String, of owner: String, source: String) throws {
        let saved: String = try scalar(key, source: source)
        guard saved == current else {
            throw StateDictError(
                path: source, key: key,
                problem: "saved as \(saved), but this \(owner) has \(current); make it with the saved settings")
        }
    }
}
