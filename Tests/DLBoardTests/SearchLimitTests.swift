import Foundation
import Testing

/// The limits every search preset shares: a trial count it can hold and record, a spec file that
/// is a file. Each is one line before anything is allocated or trained.
@Suite struct SearchLimitTests {
    func expectOneLineFailure(
        _ arguments: [String], saying expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try BinaryRunner.run(arguments)
        #expect(!r.crashed && r.status != 0, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(
            r.stderrLines.map { String($0) } == ["dlboard: error: " + expected], "stderr: \(r.stderr)",
            sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "nothing trained: \(r.stdout)", sourceLocation: sourceLocation)
    }

    /// Int.max trials once corrupted the heap drawing the points; 4,100 wrote a rung record whose
    /// ranked list the reader refuses.
    @Test(arguments: ["random-search", "grid-vs-random", "successive-halving"])
    func moreTrialsThanASearchCanRecordAreRefused(preset: String) throws {
        try expectOneLineFailure(
            ["preset", preset, "--trials", "9223372036854775807", "--headless"],
            saying: "--trials: at most 4096 trials a search, got 9223372036854775807")
        try expectOneLineFailure(
            ["preset", preset, "--trials", "4097", "--headless"],
            saying: "--trials: at most 4096 trials a search, got 4097")
    }

    @Test func aDirectoryAsSpecFileIsNamedAsOne() throws {
        let dir = NSTemporaryDirectory()
        try expectOneLineFailure(
            ["preset", "random-search", "--space-file", dir, "--headless"],
            saying: "--space-file: '\(dir)' is a directory, not a file of knob=scale:bounds words")
    }
}
