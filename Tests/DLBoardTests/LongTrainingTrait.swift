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
