import ArgumentParser
import Foundation
import NN

/// `dlboard trial`: one trial of a search as one process, for schedulers (Ray Tune, Slurm).
/// (Being built on branch i16-trial; see issue 16.)
struct TrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial",
        abstract: "Run one search trial as one process: spec in, run record out (JSON Lines), checkpoints."
    )

    func run() throws { throw ValidationError("trial: not built yet") }
}
