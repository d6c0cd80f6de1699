import Testing
import TestSupport
@testable import Torchlet

/// The seeded generator: reproducible, different across seeds, and its
/// derived draws (integers, permutations, shuffles) are well formed.
@Suite struct GeneratorTests {
    @Test func reproducible() {
        let a = Generator(seed: 42), b = Generator(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        #expect(Tensor.uniform([50], generator: Generator(seed: 7)).scalars
            == Tensor.uniform([50], generator: Generator(seed: 7)).scalars)
        #expect(Tensor.normal([50], generator: Generator(seed: 7)).scalars
            == Tensor.normal([50], generator: Generator(seed: 7)).scalars)
        // manualSeed restarts the stream.
        let c = Generator(seed: 3)
        let start = (0..<10).map { _ in c.next() }
        c.manualSeed(3)
        #expect((0..<10).map { _ in c.next() } == start)
    }

    @Test func differentAcrossSeeds() {
        let streams = (0..<20).map { seed in
            let g = Generator(seed: UInt64(seed))
            return (0..<4).map { _ in g.next() }
        }
        #expect(Set(streams.map { $0.description }).count == 20)
        #expect(Tensor.uniform([10], generator: Generator(seed: 0)).scalars
            != Tensor.uniform([10], generator: Generator(seed: 1)).scalars)
    }

    @Test func uniformAndIntegerRanges() {
        let g = Generator(seed: 5)
        for _ in 0..<10_000 {
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
        }
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 { counts[g.nextInt(below: 7)] += 1 }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 }, "roughly uniform: \(counts)")
        #expect((0..<100).allSatisfy { _ in g.nextInt(below: 1) == 0 })
    }

    @Test(arguments: [0, 1, 2, 5, 100])
    func permutationIsAPermutation(n: Int) {
        let g = Generator(seed: UInt64(n))
        let p = g.permutation(n)
        #expect(p.count == n)
        #expect(p.sorted() == Array(0..<n))
        if n >= 5 {
            #expect(p != Array(0..<n), "shuffled")
            #expect(g.permutation(n) != p, "the next draw differs")
            #expect(Generator(seed: UInt64(n)).permutation(n) == p, "reproducible")
        }
    }

    @Test func shuffle() {
        var a = Array(0..<50)
        Generator(seed: 1).shuffle(&a)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
        var b = Array(0..<50)
        Generator(seed: 1).shuffle(&b)
        #expect(a == b)
    }
}
