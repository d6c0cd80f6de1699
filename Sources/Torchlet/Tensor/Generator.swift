import Foundation

/// A seedable random number generator: every random number in Torchlet comes
/// from one of these, so every run is reproducible bit for bit.
///
/// It is xoshiro256** seeded through SplitMix64, like `torch.Generator` with
/// `manualSeed(_:)`. It is a class so that modules, dropout and data loaders
/// can share one stream without `inout` plumbing.
///
/// ```swift
/// let g = Generator(seed: 0)
/// let x = Tensor.uniform([2, 3], low: -1, high: 1, generator: g)
/// ```
public final class Generator: RandomNumberGenerator {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The generator used when none is passed, like PyTorch's default
    /// generator. Reseed it with `Generator.default.manualSeed(_:)`.
    ///
    /// Code that may run concurrently (tests) should pass its own generator.
    nonisolated(unsafe) public static var `default` = Generator(seed: 0)

    /// Creates a generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        manualSeed(seed)
    }

    /// Restarts the stream from `seed`.
    public func manualSeed(_ seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        words = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The generator's whole state, four 64-bit words, like
    /// `generator.get_state()` and `set_state(_:)`: saved with a checkpoint
    /// and set back, the stream goes on exactly where it was.
    ///
    /// ```swift
    /// let saved = g.state
    /// let a = g.next()
    /// g.state = saved      // g.next() == a again
    /// ```
    ///
    /// - Precondition: a new state has four words, not all zero (xoshiro256**
    ///   would then return zeros forever).
    public var state: [UInt64] {
        get { [words.0, words.1, words.2, words.3] }
        set {
            precondition(newValue.count == 4, "Generator.state: \(newValue.count) words, expected 4")
            precondition(newValue.contains { $0 != 0 }, "Generator.state: all four words are zero, which is not a valid state")
            words = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

    /// The next 64 random bits (xoshiro256**).
    public func next() -> UInt64 {
        let result = rotl(words.1 &* 5, 7) &* 9
        let t = words.1 << 17
        words.2 ^= words.0
        words.3 ^= words.1
        words.1 ^= words.2
        words.0 ^= words.3
        words.2 ^= t
        words.3 = rotl(words.3, 45)
        return result
    }

    /// A uniform `Float` in `[0, 1)`, from the top 24 bits.
    public func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform `Float` in `[low, high)`.
    public func nextUniform(low: Float, high: Float) -> Float {
        low + (high - low) * nextUniform()
    }

    /// A standard normal `Float` (Box–Muller, one value per call).
    public func nextNormal() -> Float {
        // 1 - u keeps the argument of log in (0, 1].
        let u1 = 1.0 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// A uniform integer in `0..<upperBound`.
    public func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextInt(below:): upper bound \(upperBound) must be positive")
        var generator = self
        return Int.random(in: 0..<upperBound, using: &generator)
    }

    /// A random permutation of `0..<n` (Fisher–Yates), like `torch.randperm`.
    public func permutation(_ n: Int) -> [Int] {
        precondition(n >= 0, "permutation: n = \(n) must not be negative")
        var result = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                result.swapAt(i, nextInt(below: i + 1))
            }
        }
        return result
    }

    /// Shuffles `array` in place with this generator.
    public func shuffle<T>(_ array: inout [T]) {
        var generator = self
        array.shuffle(using: &generator)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
