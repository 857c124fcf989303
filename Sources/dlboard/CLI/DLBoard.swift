import ArgumentParser
import Foundation
import NN

/// The `dlboard` command. Errors from parsing, validation, data loading or logging are printed as
/// one line, `dlboard: error: …`, with a non-zero exit status — never a trap or a usage dump.
@main
struct DLBoard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlboard",
        abstract:
            "Watch how training techniques behave: the networks of \"Deep Learning from Scratch\", chapter 6, on MNIST.",
        subcommands: [
            DashboardCommand.self, TrainCommand.self, CompareCommand.self, PresetCommand.self, ReplayCommand.self,
            ExportCommand.self, BenchCommand.self, GradcheckCommand.self, TrialCommand.self, WatchCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    static func main() {
        StandardDescriptors.reserve()  // first: before any file is opened (see there)
        chooseBLASKernel()
        // A file-size limit (ulimit -f) must be a write error the log reports, not a silent kill:
        // training goes on without its record, as on a full disk.
        signal(SIGXFSZ, SIG_IGN)
        // A closed pipe on stdout (`| head -1`) must not kill the run before its record is complete:
        // writes fail with EPIPE instead, and the run stops cleanly (`StopSignal`, `Console`).
        signal(SIGPIPE, SIG_IGN)
        TerminalGuard.rememberTerminal()  // the settings a crash on screen puts back
        // A scheduler may stop a trial the moment it started: from here on a SIGTERM is the trial's
        // "terminated", not the default kill (143, no record), also while the arguments are parsed.
        if CommandLine.arguments.dropFirst().first == TrialCommand.configuration.commandName {
            _ = StopSignal.install()
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // A status, already explained on screen (130: interrupted, 141: stdout closed).
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)  // --help and friends print normally
            }
            Console.error(oneLineMessage(for: error))
            Foundation.exit(exitStatus(for: error))
        }
    }

    /// Restarts the process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to a generic
    /// kernel on a CPU with AVX2/AVX-512 (see `BLASKernel`). The variable must be in the environment
    /// before OpenBLAS loads, hence the re-exec; a user's own `OPENBLAS_CORETYPE` is always kept.
    /// `KernelVerdict.reexecMarker` records that dlboard set it, so `bench` can tell this choice
    /// from a variable the user's environment forces.
    static func chooseBLASKernel() {
        let pick = BLASThreads.coreName
        guard getenv("OPENBLAS_CORETYPE") == nil, BLASKernel.fallbackCores.contains(pick),
            let core = BLASKernel.preferredCoreType(flags: BLASKernel.cpuFlags())
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(KernelVerdict.reexecMarker, KernelVerdict.marker(chosen: core, openBLASPick: pick), 1)
        var argv = CommandLine.arguments.map { strdup($0) } + [nil]
        // The resolved path, not /proc/self/exe: the process name (what `pkill dlboard` matches) is
        // taken from it.
        if let path = realpath("/proc/self/exe", nil) { execv(path, &argv) }
        // exec failed: carry on with the slow kernel rather than not at all, and take both variables
        // back, so neither this process's report nor a child's claims a kernel that is not in use.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(KernelVerdict.reexecMarker)
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
