import Torchlet

extension Fixture {
    /// The fixture's tensor `key` as a Torchlet `Tensor`.
    public func tensor(_ key: String, requiresGrad: Bool = false) throws -> Tensor {
        let v = try values(key)
        return Tensor(v.data, shape: v.shape, requiresGrad: requiresGrad)
    }

    /// Copies the fixture's values into every parameter of `module` whose
    /// name (with `prefix`) is in the fixture.
    public func load(into module: Module, prefix: String = "") throws {
        for (name, p) in module.namedParameters() {
            p.scalars = try values(prefix + name).data
        }
    }

    /// The weighted-sum loss the fixture used: Σ (output · weight.output)
    /// over the given output names.
    public func loss(_ outputs: [(name: String, tensor: Tensor)]) throws -> Tensor {
        var total: Tensor? = nil
        for (name, t) in outputs {
            let term = (t * (try tensor("weight.\(name)"))).sum()
            total = total.map { $0 + term } ?? term
        }
        return total!
    }
}
