/// A tiny linear congruential generator shared with scripts/bench_pytorch.py,
/// so both sides draw the same lengths and tokens without sharing a random library.
struct SharedLCG {
    var state: UInt64
    mutating func next() -> Int {
        state = (state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407) & 0xFFFF_FFFF_FFFF_FFFF
        return Int(state >> 33)
    }
}

/// The lengths of the packed case: 32 values in 5…50 from seed 0.
func packedLengths() -> [Int] {
    var lcg = SharedLCG(state: 0)
    return (0..<32).map { _ in 5 + lcg.next() % 46 }
}

/// The lengths of the Day 3 epoch: 2,000 sentences, mostly 3…16 tokens and
/// one in five 3…60 (a long tail).
func epochLengths() -> [Int] {
    var lcg = SharedLCG(state: 3)
    return (0..<2_000).map { _ in
        lcg.next() % 5 == 0 ? 3 + lcg.next() % 58 : 3 + lcg.next() % 14
    }
}

/// The token ids of the language-model step: `steps + 1` rows of `batch`
/// ids in `0..<vocabulary` from seed 8 (rows 0…T−1 are the input, rows
/// 1…T the targets).
func languageModelTokens(steps: Int, batch: Int, vocabulary: Int) -> [[Int]] {
    var lcg = SharedLCG(state: 8)
    return (0...steps).map { _ in (0..<batch).map { _ in lcg.next() % vocabulary } }
}

/// LSTM FLOPs for one forward pass over `tokens` rows: the two matrix
/// products per row (input and recurrent), 2·4H·(I + H) each.
func lstmFlops(tokens: Int, input: Int, hidden: Int) -> Double {
    2 * Double(tokens) * Double(4 * hidden) * Double(input + hidden)
}

/// GRU FLOPs for one forward pass over `tokens` rows: 2·3H·(I + H) each.
func gruFlops(tokens: Int, input: Int, hidden: Int) -> Double {
    2 * Double(tokens) * Double(3 * hidden) * Double(input + hidden)
}
