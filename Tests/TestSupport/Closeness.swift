import Testing
import Torchlet

/// The largest relative difference between two arrays, where the relative
/// difference of `a` and `b` is `|a − b| / max(1, |b|)` (absolute for small
/// values, relative for large ones).
public func maxRelativeError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count, "maxRelativeError: \(actual.count) vs \(expected.count) values")
    var worst: Float = 0
    for (a, b) in zip(actual, expected) {
        if a.isNaN != b.isNaN { return .infinity }
        if a.isNaN { continue }
        worst = max(worst, abs(a - b) / max(1, abs(b)))
    }
    return worst
}

/// Records an issue at the caller unless `actual` and `expected` have the
/// same shape and agree within `tolerance` (relative, see
/// `maxRelativeError`).
public func assertClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    assertClose(actual.scalars, shape: actual.shape, expected.scalars, shape: expected.shape,
                tolerance: tolerance, what, sourceLocation: sourceLocation)
}

/// Records an issue at the caller unless the values agree within `tolerance`.
public func assertClose(
    _ actual: [Float], shape actualShape: [Int]? = nil, _ expected: [Float], shape expectedShape: [Int]? = nil,
    tolerance: Float = 1e-5, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let label = what.isEmpty ? "" : "\(what): "
    if let actualShape, let expectedShape, actualShape != expectedShape {
        Issue.record("\(label)shape \(actualShape), expected \(expectedShape)", sourceLocation: sourceLocation)
        return
    }
    guard actual.count == expected.count else {
        Issue.record("\(label)\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let error = maxRelativeError(actual, expected)
    if !(error <= tolerance) {
        let worst = zip(actual, expected).enumerated().max { abs($0.element.0 - $0.element.1) < abs($1.element.0 - $1.element.1) }!
        Issue.record(
            "\(label)max relative error \(error) > \(tolerance); worst at index \(worst.offset): got \(worst.element.0), expected \(worst.element.1)",
            sourceLocation: sourceLocation)
    }
}
