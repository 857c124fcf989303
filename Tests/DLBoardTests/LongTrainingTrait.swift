import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// For tests that train for a minute or more on one thread to check a figure of the book: they
    /// run in the plain suite, not again under ThreadSanitizer (`scripts/tsan.sh` sets
    /// `DLBOARD_SANITIZED_SUITE`), where they would take ten times as long and find no race the
    /// session tests do not already exercise.
    static var longTraining: Self {
        .disabled(
            if: ProcessInfo.processInfo.environment["DLBOARD_SANITIZED_SUITE"] != nil,
            "long single-threaded training; runs in the plain suite")
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests that run the binary under a file-size limit (`ulimit -f`, a full disk): under
    /// ThreadSanitizer the runtime itself dies of SIGBUS at start-up under any such limit, before
    /// dlboard runs a line (`ulimit -f 100; dlboard-built-with-tsan --help` shows it), so they run in
    /// the plain suite only.
    static var fileSizeLimited: Self {
        .disabled(
            if: ProcessInfo.processInfo.environment["DLBOARD_SANITIZED_SUITE"] != nil,
            "ThreadSanitizer's runtime faults under a file-size limit; runs in the plain suite")
    }
}
