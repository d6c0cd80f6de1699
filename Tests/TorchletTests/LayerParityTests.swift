import Testing
import TestSupport
@testable import Torchlet

/// `Linear` and `Embedding` against PyTorch, from fixtures made by
/// scripts/make_fixtures.py (loss = Σ output · weight.output).
@Suite struct LayerParityTests {
    @Test(arguments: ["linear", "linear_3d"])
    func linear(name: String) throws {
        let f = try Fixture.load(name)
        let layer = Linear(inFeatures: try f.int("inFeatures"), outFeatures: try f.int("outFeatures"), generator: Generator(seed: 0))
        try f.load(into: layer)
        let input = try f.tensor("input", requiresGrad: true)
        let output = layer(input)
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), "\(name) loss")
        loss.backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "\(name) grad.input")
        assertClose(layer.weight.grad!, try f.tensor("grad.weight"), "\(name) grad.weight")
        assertClose(layer.bias!.grad!, try f.tensor("grad.bias"), "\(name) grad.bias")
    }

    @Test func embeddingWithPadding() throws {
        let f = try Fixture.load("embedding_padding")
        let embedding = Embedding(
            numEmbeddings: try f.int("numEmbeddings"), embeddingDim: try f.int("embeddingDim"),
            paddingIndex: try f.int("paddingIdx"), generator: Generator(seed: 0))
        #expect(embedding.weight.scalars[0..<4].allSatisfy { $0 == 0 }, "padding row starts at zero")
        try f.load(into: embedding)
        let indices = try f.indices("input")
        let output = embedding(indices.data, shape: indices.shape)
        assertClose(output, try f.tensor("output"), "output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), "loss")
        loss.backward()
        assertClose(embedding.weight.grad!, try f.tensor("grad.weight"), "grad.weight")
    }
}
