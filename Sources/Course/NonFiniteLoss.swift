import Foundation

/// The message a lesson stops with when its training loss is NaN or
/// infinite, or `nil` while the loss is finite.
///
/// Once a loss is NaN, its gradients are NaN, and one optimizer step makes
/// every weight they reach NaN: training cannot recover, so the lesson
/// stops and says what to try rather than printing `nan` for the rest of
/// the run.
///
/// ```swift
/// nonFiniteLossMessage(.nan, program: "day2", epoch: 3, batch: 17)
/// // "day2: the training loss is nan at epoch 3, batch 17; training stopped. …"
/// ```
///
/// - Parameters:
///   - epoch: the epoch, counted from 1 as the progress line counts.
///   - batch: the batch (or sentence) within the epoch, counted from 1.
///   - run: which of several runs trained, such as `"batch size 32"`.
///
/// It suggests `withAnomalyDetection` around the training step rather than
/// `TORCHLET_DETECT_ANOMALY=1` for the whole program, because a lesson may
/// overflow on purpose before it trains (Day 1 shows why a naive softmax
/// gives NaN).
public func nonFiniteLossMessage(
    _ loss: Float, program: String, epoch: Int, batch: Int, run: String? = nil
) -> String? {
    guard !loss.isFinite else { return nil }
    let value = loss.isNaN ? "nan" : loss > 0 ? "inf" : "-inf"
    let which = run.map { " (\($0))" } ?? ""
    return """
        \(program): the training loss is \(value) at epoch \(epoch), batch \(batch)\(which); training stopped, \
        since every weight its gradients reach is now \(value == "nan" ? "NaN" : "non-finite") too. Things to try:
          - a lower learning rate (a loss that grows for a while, then breaks, has diverged);
          - gradient clipping (Day 7), so that one steep batch cannot throw the weights far;
          - withAnomalyDetection { … } around the training step, to name the first operation that made a NaN or \
        an infinity, with its shapes;
          - a look at the data: a NaN or an infinity in an input gives this at once.
        """
}

extension Lesson {
    /// Stops the lesson, with ``nonFiniteLossMessage(_:program:epoch:batch:run:)``
    /// on standard error and exit status 1, when `loss` is NaN or infinite.
    ///
    /// Every training loop of the lessons calls it after each step:
    ///
    /// ```swift
    /// let loss = trainStep(optimizer: optimizer) { batchLoss(model, batch) }
    /// lesson.checkLoss(loss, epoch: epoch + 1, batch: k + 1)
    /// ```
    ///
    /// - Parameters:
    ///   - epoch: the epoch, counted from 1.
    ///   - batch: the batch within the epoch, counted from 1.
    ///   - run: which of several runs trained, if the lesson trains several.
    public func checkLoss(_ loss: Float, epoch: Int, batch: Int, run: String? = nil) {
        guard let message = nonFiniteLossMessage(loss, program: info.program, epoch: epoch, batch: batch, run: run)
        else { return }
        if standardOutputIsTerminal { print("") }  // end a progress line drawn in place
        fflush(stdout)
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
