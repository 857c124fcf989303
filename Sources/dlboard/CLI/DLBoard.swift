import ArgumentParser
import Foundation

/// The `dlboard` command. Errors from parsing, validation, data loading or logging are printed as
/// one line, `dlboard: error: …`, with a non-zero exit status — never a trap or a usage dump.
@main
struct DLBoard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlboard",
        abstract: "Watch how training techniques behave: the networks of \"Deep Learning from Scratch\", chapter 6, on MNIST.",
        subcommands: [DashboardCommand.self, TrainCommand.self, CompareCommand.self, PresetCommand.self],
        defaultSubcommand: DashboardCommand.self
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)  // --help and friends print normally
            }
            FileHandle.standardError.write(Data((oneLineMessage(for: error) + "\n").utf8))
            Foundation.exit(exitStatus(for: error))
        }
    }

    /// `dlboard: error: <message>` on one line, whatever the error's origin.
    static func oneLineMessage(for error: any Error) -> String {
        let flat = message(for: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        return "dlboard: error: \(flat.isEmpty ? String(describing: error) : flat)"
    }

    static func exitStatus(for error: any Error) -> Int32 {
        let code = exitCode(for: error).rawValue
        return code == 0 ? 1 : code
    }
}
