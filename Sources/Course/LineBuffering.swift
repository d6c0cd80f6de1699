import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes standard output line-buffered, so that each line a lesson prints
/// leaves the program as soon as it ends.
///
/// The C library buffers standard output in blocks of several kilobytes
/// when it is a pipe or a file rather than a terminal, so `swift run day3 |
/// tee log` and a CI log would show nothing for minutes and lose the tail
/// of the output if the run is interrupted. Line buffering costs one write
/// per line, nothing for a program that prints a few hundred lines.
/// ``Lesson/start(day:about:seed:epochs:data:arguments:)`` calls it first;
/// call it before anything is printed (the C standard allows `setvbuf` only
/// then).
public func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
