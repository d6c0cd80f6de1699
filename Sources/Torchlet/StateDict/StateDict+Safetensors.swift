import Foundation

/// Reading and writing the safetensors format.
///
/// ```
/// ┌──────────────┬──────────────────────────────────────┬─────────────────────┐
/// │ N: UInt64 LE │ N bytes of JSON header, space-padded │ data: raw float32 LE │
/// └──────────────┴──────────────────────────────────────┴─────────────────────┘
/// {"__metadata__": {"format": "pt"},
///  "weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …}
/// ```
///
/// `data_offsets` are `[begin, end)` byte offsets into the data section. As
/// in the reference implementation, the header is padded with spaces to a
/// multiple of 8 bytes, the tensors tile the data section exactly (no gaps,
/// no overlaps, nothing after the last one), and the header is at most
/// 100 MB. Values are stored bit for bit, so NaN and infinity round-trip.
extension StateDict {
    /// The largest header the reference implementation accepts.
    static let maximumHeaderSize = 100_000_000

    /// The safetensors bytes of this state dict, tensors in entry order.
    func safetensorsData() -> Data {
        var header = "{"
        var meta = metadata
        if meta["format"] == nil { meta["format"] = "pt" }
        header += "\"__metadata__\":{"
            + meta.sorted { $0.key < $1.key }.map { Self.jsonString($0.key) + ":" + Self.jsonString($0.value) }
                .joined(separator: ",")
            + "}"
        var offset = 0
        for (name, tensor) in entries {
            let end = offset + tensor.scalars.count * MemoryLayout<Float>.size
            header += ",\(Self.jsonString(name)):{\"dtype\":\"F32\",\"shape\":\(tensor.shape),\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        headerBytes += repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for (_, tensor) in entries {
            #if _endian(big)
            let scalars = tensor.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
            #else
            let scalars = tensor.scalars
            #endif
            scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Whether `data` starts with a plausible safetensors header length followed by `{`.
    static func startsLikeSafetensors(_ data: Data) -> Bool {
        guard data.count >= 9 else { return false }
        let length = headerLength(data)
        return length >= 2 && length <= UInt64(data.count - 8) && data[data.startIndex + 8] == UInt8(ascii: "{")
    }

    private static func headerLength(_ data: Data) -> UInt64 {
        data.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Parses safetensors bytes, checking every field before any tensor is made.
    static func safetensors(_ data: Data, path: String) throws -> StateDict {
        func fail(_ problem: String, key: String? = nil) -> StateDictError {
            StateDictError(path: path, key: key, problem: problem)
        }
        guard data.count >= 8 else {
            throw fail("truncated: \(data.count) bytes, but a safetensors file starts with an 8-byte header length")
        }
        let length = headerLength(data)
        guard length <= UInt64(maximumHeaderSize) else {
            throw fail("bad header length \(length) (the first 8 bytes, little-endian); at most \(maximumHeaderSize) is allowed. Is this a safetensors file?")
        }
        let headerSize = Int(length)
        guard headerSize <= data.count - 8 else {
            throw fail("truncated: the header length says \(headerSize) bytes, but only \(data.count - 8) follow it")
        }
        let header: JSONValue
        do {
            header = try data.withUnsafeBytes { raw throws(JSONSyntaxError) in
                let bytes = raw.bindMemory(to: UInt8.self)
                return try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[8..<(8 + headerSize)]))
            }
        } catch let error as JSONSyntaxError {
            throw fail("the header is not valid JSON: at byte \(8 + error.offset): \(error.message)")
        }
        guard case .object(let members) = header else {
            throw fail("the header is \(header.kind), expected a JSON object of tensors")
        }
        let dataStart = 8 + headerSize, dataSize = data.count - dataStart
        var metadata: [String: String] = [:]
        var layout: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                guard case .object(let pairs) = value else { throw fail("__metadata__ is \(value.kind), expected an object of strings") }
                for (k, v) in pairs {
                    guard let text = v.string else { throw fail("__metadata__ '\(k)' is \(v.kind), expected a string") }
                    metadata[k] = text
                }
                continue
            }
            guard case .object = value else { throw fail("the entry is \(value.kind), expected {dtype, shape, data_offsets}", key: key) }
            guard let dtype = value["dtype"]?.string else { throw fail("no dtype (expected \"F32\")", key: key) }
            guard dtype == "F32" else {
                throw fail("dtype \(dtype) is not supported; Torchlet reads F32 (convert with tensor.float() before saving)", key: key)
            }
            guard let shape = value["shape"]?.integers else {
                throw fail("shape is missing or not a list of integers", key: key)
            }
            let count = try elementCount(of: shape, key: key, path: path)
            guard let offsets = value["data_offsets"]?.integers, offsets.count == 2 else {
                throw fail("data_offsets is missing or not two integers [begin, end]", key: key)
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else { throw fail("data_offsets \(offsets) is not a range [begin, end] with 0 ≤ begin ≤ end", key: key) }
            guard end - begin == count * MemoryLayout<Float>.size else {
                throw fail("count mismatch: shape \(shape) needs \(count) float32 values (\(count * 4) bytes), data_offsets \(offsets) hold \(end - begin) bytes", key: key)
            }
            guard end <= dataSize else {
                throw fail("truncated: data_offsets \(offsets) end past the data section, which has \(dataSize) bytes", key: key)
            }
            layout.append((key, shape, begin, end))
        }
        // The tensors must tile the data section: sorted by offset, each begins where the last ended.
        layout.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for entry in layout {
            guard entry.begin >= covered else {
                throw fail("data_offsets [\(entry.begin), \(entry.end)] overlap another tensor's (which ends at byte \(covered))", key: entry.name)
            }
            guard entry.begin == covered else {
                throw fail("data_offsets [\(entry.begin), \(entry.end)] leave a gap after byte \(covered) of the data section", key: entry.name)
            }
            covered = entry.end
        }
        guard covered == dataSize else {
            throw fail("\(dataSize - covered) bytes after the last tensor's data (the data section has \(dataSize) bytes, the tensors \(covered))")
        }
        let entries = layout.map { entry in
            let scalars = [Float](unsafeUninitializedCapacity: (entry.end - entry.begin) / 4) { buffer, count in
                count = buffer.count
                let target = UnsafeMutableRawBufferPointer(buffer)
                data.copyBytes(to: target, from: (data.startIndex + dataStart + entry.begin)..<(data.startIndex + dataStart + entry.end))
                #if _endian(big)
                for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
                #endif
            }
            return (name: entry.name, tensor: Tensor(scalars, shape: entry.shape))
        }
        return StateDict(entries, metadata: metadata)
    }
}
