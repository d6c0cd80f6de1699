import Course
import Foundation
import Testing

/// Time and token count of one reader on one file: a measurement, not a
/// check, so it runs only when asked. Peak memory comes from running the
/// test binary under `/usr/bin/time -v`:
///
/// ```sh
/// TORCHLET_MEASURE_READER=plain:/tmp/long.txt /usr/bin/time -v \
///     .build/debug/LSTMCoursePackageTests.xctest --testing-library swift-testing --filter ReaderMeasurement
/// ```
///
/// The reader is `conllu`, `tsv` or `plain`.
@Suite struct ReaderMeasurement {
    static let request = ProcessInfo.processInfo.environment["TORCHLET_MEASURE_READER"]

    @Test(.enabled(if: request != nil)) func readOneFile() throws {
        let parts = try #require(Self.request).split(separator: ":", maxSplits: 1).map(String.init)
        let (reader, path) = (parts[0], parts[1])
        let start = Date()
        let count: Int
        switch reader {
        case "conllu": count = try CoNLLUReader.read(path: path).reduce(0) { $0 + $1.words.count }
        case "tsv": count = try LabeledTextReader.read(path: path).reduce(0) { $0 + $1.text.count }
        default: count = try PlainTextReader.read(path: path).count
        }
        print(String(format: "reader: %@ tokens=%d seconds=%.2f", reader, count, Date().timeIntervalSince(start)))
    }
}
