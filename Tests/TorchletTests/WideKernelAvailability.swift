import Testing
import TorchletWide
@testable import Torchlet

/// Whether this CPU runs Torchlet's AVX-512 build (`TorchletWide`): the
/// tests of that build run only where it does and are reported as skipped
/// elsewhere (an AMD CPU before Zen 4, any ARM CPU), where no code path
/// reaches it.
let wideKernelRuns = CPUFeatures.hasAVX512 && WideGEMM.isAvailable

extension Trait where Self == ConditionTrait {
    /// Runs a test of the AVX-512 build only on a CPU that has AVX-512.
    static var needsWideKernel: Self { .enabled(if: wideKernelRuns, "no AVX-512 on this CPU: the AVX-512 build never runs here") }
}
