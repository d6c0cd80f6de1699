import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Seeded fuzzing of the state dict reader: 1,000 random mutations each of
/// a valid safetensors file and a valid legacy JSON file. The reader never
/// crashes (a crash would end the test run); every mutation gives either a
/// `StateDictError` naming the file, or a state dict that is well formed
/// and, where the mutation only touched tensor data, exactly right.
@Suite struct StateDictFuzzTests {
    static let path = "fuzz.ckpt"

    /// The model whose state dict is mutated: small, with a 1-D, a 2-D and a
    /// multi-tensor child, so headers have several entries and shapes.
    static func model() -> Module {
        final class Small: Module {
            override init() {
                super.init()
                registerModule("lstm", LSTM(inputSize: 2, hiddenSize: 3, generator: Generator(seed: 1)))
                registerModule("linear", Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 2)))
            }
        }
        return Small()
    }

    /// Numbers that probe the edges: negative, zero, overflowing, huge, fractional.
    static let interestingNumbers = [
        "-1", "0", "1", "2", "-16", "7", "4611686018427387904", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "99999999999999999999", "1e300", "-1e300", "1.5", "1e-50", "2147483648", "00", "-0",
    ]

    /// A random mutation of `bytes`, described for the failure message.
    static func mutate(_ bytes: [UInt8], headerEnd: Int, _ g: Generator) -> (bytes: [UInt8], what: String, dataOnly: Bool) {
        var b = bytes
        func position() -> Int { g.nextInt(below: max(b.count, 1)) }
        switch g.nextInt(below: 9) {
        case 0:
            let n = g.nextInt(below: b.count)
            return (Array(b.prefix(n)), "truncated to \(n) bytes", false)
        case 1:
            var flipped: [Int] = []
            for _ in 0..<(1 + g.nextInt(below: 3)) {
                let i = position()
                b[i] ^= UInt8(1 << g.nextInt(below: 8))
                flipped.append(i)
            }
            return (b, "bits flipped at \(flipped)", flipped.allSatisfy { $0 >= headerEnd })
        case 2:
            let i = position()
            b[i] = UInt8(g.nextInt(below: 256))
            return (b, "byte \(i) set to \(b[i])", i >= headerEnd)
        case 3:
            let i = g.nextInt(below: b.count + 1)
            let syntax = Array("{}[],:\"0123456789-e ".utf8)
            let inserted = (0..<(1 + g.nextInt(below: 8))).map { _ in
                g.nextInt(below: 2) == 0 ? UInt8(g.nextInt(below: 256)) : syntax[g.nextInt(below: syntax.count)]
            }
            b.insert(contentsOf: inserted, at: i)
            return (b, "\(inserted) inserted at \(i)", false)
        case 4:
            let i = position()
            let n = min(1 + g.nextInt(below: 16), b.count - i)
            b.removeSubrange(i..<(i + n))
            return (b, "\(n) bytes deleted at \(i)", false)
        case 5, 6:
            // Replace one number in the text part (header or JSON) with an edge value.
            let textEnd = min(headerEnd, b.count)
            var runs: [Range<Int>] = []
            var i = 0
            while i < textEnd {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { i += 1; continue }
                let start = i
                while i < textEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) || b[i] == UInt8(ascii: ".") { i += 1 }
                runs.append(start..<i)
            }
            guard !runs.isEmpty else { return (b, "unchanged (no number)", true) }
            let run = runs[g.nextInt(below: runs.count)]
            let number = interestingNumbers[g.nextInt(below: interestingNumbers.count)]
            b.replaceSubrange(run, with: Array(number.utf8))
            return (b, "number at \(run.lowerBound) replaced by \(number)", false)
        case 7:
            // Replace a whole shape with a random one.
            let text = String(decoding: b.prefix(min(headerEnd, b.count)), as: UTF8.self)
            let shapes = text.ranges(of: "\"shape\":[")
            guard let found = shapes.isEmpty ? nil : shapes[g.nextInt(below: shapes.count)],
                  let close = text[found.upperBound...].firstIndex(of: "]") else { return (b, "unchanged (no shape)", true) }
            let dims = (0..<g.nextInt(below: 4)).map { _ in interestingNumbers[g.nextInt(below: interestingNumbers.count)] }
            let start = text.utf8.distance(from: text.startIndex, to: found.upperBound)
            let end = text.utf8.distance(from: text.startIndex, to: close)
            b.replaceSubrange(start..<end, with: Array(dims.joined(separator: ",").utf8))
            return (b, "shape at \(start) replaced by \(dims)", false)
        default:
            // Duplicate or drop a run of bytes from the text part.
            let i = g.nextInt(below: min(headerEnd, b.count))
            let n = min(1 + g.nextInt(below: 64), b.count - i)
            let piece = Array(b[i..<(i + n)])
            b.insert(contentsOf: piece, at: i)
            return (b, "\(n) bytes at \(i) duplicated", false)
        }
    }

    /// Checks one mutated file: a clear error, or a well-formed state dict;
    /// if only tensor data changed, the values read are the bytes written.
    static func check(_ bytes: [UInt8], original: StateDict, dataStart: Int, dataOnly: Bool, what: String) {
        let model = model()
        let before = model.parameters().map(\.scalars)
        do {
            let dict = try StateDict(data: Data(bytes), path: path)
            #expect(Set(dict.entries.map(\.name)).count == dict.entries.count, "\(what): unique names")
            for (name, tensor) in dict.entries {
                #expect(tensor.shape.allSatisfy { $0 >= 0 } && tensor.scalars.count == tensor.shape.reduce(1, *), "\(what): \(name)")
            }
            if dataOnly {
                var offset = dataStart
                for ((name, tensor), (_, expected)) in zip(dict.entries, original.entries) {
                    let values = (0..<expected.count).map { k in
                        Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + 4 * k + $1]) << (8 * $1) })
                    }
                    #expect(tensor.shape == expected.shape && tensor.scalars.map(\.bitPattern) == values.map(\.bitPattern),
                            "\(what): \(name) reads the bytes in the file")
                    offset += 4 * expected.count
                }
            }
            do {
                try model.loadStateDict(dict, source: path)
            } catch {
                #expect(model.parameters().map(\.scalars) == before, "\(what): a failed load changes no weight")
            }
        } catch let error as StateDictError {
            #expect(error.description.hasPrefix(path + ": ") && !error.problem.isEmpty, "\(what): \(error)")
        } catch {
            Issue.record("\(what): not a StateDictError: \(error)")
        }
    }

    @Test func safetensorsMutations() throws {
        let original = Self.model().stateDict()
        let bytes = [UInt8](original.safetensorsData())
        let headerEnd = 8 + bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let g = Generator(seed: 2026)
        for trial in 0..<1000 {
            var (mutated, what, dataOnly) = Self.mutate(bytes, headerEnd: headerEnd, g)
            if trial % 10 == 0 {
                // The header length itself: off by a little, or anything.
                let length = g.nextInt(below: 2) == 0 ? UInt64(headerEnd - 8 + g.nextInt(below: 17) - 8) : g.next()
                withUnsafeBytes(of: length.littleEndian) { mutated.replaceSubrange(0..<8, with: $0) }
                (what, dataOnly) = (what + ", header length \(length)", false)
            }
            Self.check(mutated, original: original, dataStart: headerEnd, dataOnly: dataOnly && mutated.count == bytes.count,
                       what: "trial \(trial): \(what)")
        }
    }

    @Test func legacyJSONMutations() throws {
        let original = Self.model().stateDict()
        let bytes = [UInt8](try original.legacyJSONData(path: Self.path))
        let g = Generator(seed: 2027)
        for trial in 0..<1000 {
            let (mutated, what, _) = Self.mutate(bytes, headerEnd: bytes.count, g)
            Self.check(mutated, original: original, dataStart: 0, dataOnly: false, what: "trial \(trial): \(what)")
        }
    }
}
