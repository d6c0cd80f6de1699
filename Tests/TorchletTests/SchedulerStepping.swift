@testable import Torchlet

/// Steps any of Torchlet's schedulers once: `metric` goes to
/// `ReduceLROnPlateau`, the others step on the epoch alone.
func stepScheduler(_ scheduler: LRScheduler, metric: Float) {
    switch scheduler {
    case let s as ReduceLROnPlateau: s.step(metric)
    case let s as StepLR: s.step()
    case let s as WarmupCosineLR: s.step()
    default: preconditionFailure("stepScheduler: unknown scheduler \(type(of: scheduler))")
    }
}
