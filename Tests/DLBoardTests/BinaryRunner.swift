import Foundation

/// Runs the built `dlboard` executable the way a user would, capturing its output.
enum BinaryRunner {
    typealias Result = Subprocess.Result

    /// The executable next to the test bundle (`.build/<config>/dlboard`).
    static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for dir in candidates {
            let url = dir.appendingPathComponent("dlboard")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("dlboard")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws
        -> Result
    {
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["SWIFT_BACKTRACE"] = "enable=no"  // a crash must not wait for a debugger prompt
        return try Subprocess.run(executable.path, arguments, environment: env, timeout: timeout)
    }
}
