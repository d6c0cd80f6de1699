/// How many threads Torchlet's kernels may use.
///
/// The default is 1: at the small sizes this course trains, splitting a
/// matrix product across threads costs more in synchronization than it
/// saves (see the numbers from `swift run -c release bench`).
public enum Parallelism {
    nonisolated(unsafe) public static var threadCount = 1
}
