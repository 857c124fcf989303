import ArgumentParser
import Foundation
import NN

/// `dlboard watch DIR…`: follows growing run records and Ray Tune results and shows them live.
/// (Being built on branch i16-watch; see issue 16.)
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow folders of growing run records (dlboard JSONL, Ray Tune result.json) live."
    )

    func run() throws { throw ValidationError("watch: not built yet") }
}
