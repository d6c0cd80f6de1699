import Testing
@testable import Torchlet

/// `setFlushDenormal`: with it on, arithmetic that would give a subnormal
/// gives zero; off again, the subnormal comes back (x86-64 Linux only).
@Suite struct FlushDenormalTests {
    @Test func flushesSubnormalResultsOnlyWhileOn() {
        // Read through an array at run time so the compiler cannot fold the products.
        let values: [Float] = [Float.leastNormalMagnitude, 0.25]
        func product() -> Float { values[0] * values[1] }
        #expect(product().isSubnormal, "IEEE arithmetic by default")
        defer { setFlushDenormal(false) }
        #if arch(x86_64) && os(Linux)
        #expect(setFlushDenormal(true))
        #expect(product() == 0)
        #expect(setFlushDenormal(false))
        #expect(product().isSubnormal)
        #else
        #expect(!setFlushDenormal(true))
        #expect(product().isSubnormal)
        #endif
    }
}
