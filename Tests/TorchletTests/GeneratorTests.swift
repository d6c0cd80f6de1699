import Testing
@testable import Torchlet
@Test func generatorIsRepeatable() { #expect(Generator(seed: 1).next() == Generator(seed: 1).next()) }
