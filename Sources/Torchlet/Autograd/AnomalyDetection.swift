import Foundation

/// Whether operations check what they compute for NaN and infinity, like
/// `torch.is_anomaly_enabled()`.
///
/// Off by default. It is task-local, as ``GradMode`` is, so turning it on
/// in one test never affects another running at the same time. Turn it on
/// for a block with ``withAnomalyDetection(_:)``, or for a whole program,
/// without editing it, by setting `TORCHLET_DETECT_ANOMALY=1` in the
/// environment (`TORCHLET_DETECT_ANOMALY=1 swift run day2`); a program that
/// overflows on purpose (Day 1 shows a naive softmax giving NaN) stops
/// there too, so around the training step is usually the better place.
public enum AnomalyMode {
    /// Whether anomaly detection is on in the current task.
    @TaskLocal public static var isEnabled: Bool =
        ProcessInfo.processInfo.environment["TORCHLET_DETECT_ANOMALY"] == "1"
}

/// Runs `body` with anomaly detection on, like
/// `with torch.autograd.detect_anomaly():`: the first operation whose
/// forward or backward produces a NaN or an infinity stops the program with
/// a message that names the operation and its shapes.
///
/// ```swift
/// withAnomalyDetection {
///     let loss = crossEntropy(model(batch), targets: tags)
///     loss.backward()
/// }
/// // Fatal error: anomaly detection: log produced nan (1 of 6 values, the first at index 4)
/// //   in its output [2, 3] in the forward pass; inputs [2, 3]; every input was finite, so log made it
/// ```
///
/// PyTorch raises a `RuntimeError` from `backward()`; Swift operators cannot
/// throw, so Torchlet stops the program instead, as a failed precondition
/// does, with the message on standard error. The checks read every value an
/// operation computes, so a run is slower inside this block; outside it they
/// cost one flag read per operation.
@discardableResult
public func withAnomalyDetection<Result>(_ body: () throws -> Result) rethrows -> Result {
    try AnomalyMode.$isEnabled.withValue(true) { try body() }
}

extension AnomalyMode {
    /// Stops the program if `op`'s result `scalars` holds a NaN or an infinity.
    ///
    /// Operations are checked as they run, so when an input already holds
    /// one, it was not made by a checked operation: it is a leaf (data or a
    /// parameter) or was computed outside anomaly detection, and the message
    /// says so.
    static func checkForward(_ op: String, inputs: [Tensor], shape: [Int], scalars: [Float]) {
        guard let found = NonFinite(scalars) else { return }
        var message = "anomaly detection: \(op) produced \(found) in its output \(shape) in the forward pass; "
            + "inputs \(describeShapes(inputs))"
        if let k = inputs.firstIndex(where: { NonFinite($0.scalars) != nil }) {
            message += "; input \(k) already held \(NonFinite(inputs[k].scalars)!): it is data, a parameter, "
                + "or was computed outside withAnomalyDetection"
        } else {
            message += "; every input was finite, so \(op) made it"
        }
        stop(message)
    }

    /// Stops the program if the backward rule of `node` received or returned
    /// a NaN or an infinity.
    static func checkBackward(_ node: Tensor, incoming: [Float], isSeed: Bool, inputGrads: [[Float]?]) {
        let context = "\(node.op): inputs \(describeShapes(node.inputs)) → output \(node.shape)"
        if let found = NonFinite(incoming) {
            stop("anomaly detection: the gradient flowing into \(node.op) holds \(found) "
                 + (isSeed ? "(it is the gradient given to backward)" : "(the gradients of its uses summed to it)")
                 + "; \(context)")
        }
        for (k, gradient) in inputGrads.enumerated() {
            guard let gradient, let found = NonFinite(gradient) else { continue }
            stop("anomaly detection: the backward of \(node.op) returned \(found) in the gradient for input \(k) "
                 + "\(node.inputs[k].shape), from a finite incoming gradient; \(context)")
        }
    }

    private static func describeShapes(_ tensors: [Tensor]) -> String {
        tensors.isEmpty ? "none" : tensors.map { "\($0.shape)" }.joined(separator: ", ")
    }

    /// Ends the program with `message` on standard error, in every build.
    private static func stop(_ message: String) -> Never {
        fatalError(message)
    }
}

/// The non-finite values of an array: how many, which kind first, and where.
struct NonFinite: CustomStringConvertible {
    let first: Float, index: Int, count: Int, total: Int

    /// Finds the non-finite values in `values`, or fails when all are finite.
    init?(_ values: [Float]) {
        var first: Float = 0, index = -1, count = 0
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count where !v[i].isFinite {
                if index < 0 { (first, index) = (v[i], i) }
                count += 1
            }
        }
        guard index >= 0 else { return nil }
        (self.first, self.index, self.count, self.total) = (first, index, count, values.count)
    }

    var description: String {
        let kind = first.isNaN ? "nan" : first > 0 ? "inf" : "-inf"
        return "\(kind) (\(count) of \(total) values non-finite, the first at index \(index))"
    }
}
