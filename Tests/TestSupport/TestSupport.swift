import Foundation

/// Locates the package's files from a test: the repository root and the lesson directories.
///
/// ```swift
/// let root = Repository.root()                 // the directory holding Package.swift
/// let day1 = Repository.lessonDirectory(day: 1) // .../Lessons/Day01
/// ```
public enum Repository {
    /// The package root: the nearest directory above `filePath` that holds `Package.swift`.
    ///
    /// - Precondition: the test file lives inside the package.
    public static func root(filePath: String = #filePath) -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        preconditionFailure("Repository.root: no Package.swift above \(filePath)")
    }

    /// The directory of lesson `day`, such as `Lessons/Day01`.
    public static func lessonDirectory(day: Int, filePath: String = #filePath) -> URL {
        root(filePath: filePath).appendingPathComponent("Lessons").appendingPathComponent(day < 10 ? "Day0\(day)" : "Day\(day)")
    }
}
