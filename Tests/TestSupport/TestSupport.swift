import Testing
import Torchlet
public func supportCheck(_ b: Bool, sourceLocation: SourceLocation = #_sourceLocation) { #expect(b, sourceLocation: sourceLocation) }
