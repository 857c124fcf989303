import ArgumentParser

/// The data folder and the seed: shared by every command that trains.
struct DataOptions: ParsableArguments {
    @Option(help: "Folder with the four MNIST-format IDX files (default: the bundled assets/mnist).")
    var data: String?

    @Option(parsing: .unconditional, help: "Seed of every random choice (weights, batches, dropout, validation split).")
    var seed: UInt64 = 0
}
