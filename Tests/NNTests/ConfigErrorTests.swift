import Testing

@testable import NN

/// The engine names a bad setting in its own words, never by a command-line flag: a front end
/// (the CLI, a replay, a fork) words it for its user.
@Suite struct ConfigErrorTests {
    static func error(_ change: (inout TrainingConfig) -> Void) -> ConfigError? {
        var c = TrainingConfig()
        change(&c)
        do { try c.validate() } catch { return error }
        return nil
    }

    @Test func everyInvalidSettingIsNamedWithoutAFlag() throws {
        let cases: [(ConfigError.Setting, (inout TrainingConfig) -> Void)] = [
            (.hiddenLayers, { $0.network.hidden = [100, 0] }),
            (.dropout, { $0.network.dropout = 1.5 }),
            (.weightDecay, { $0.network.weightDecay = -1 }),
            (.initializer, { $0.network.initializer = .std(0) }),
            (.learningRate, { $0.learningRate = .nan }),
            (.batchSize, { $0.batchSize = 0 }),
            (.epochs, { $0.epochs = 0 }),
            (.inputSize, { $0.network.inputSize = 0 }),
            (.outputSize, { $0.network.outputSize = 1 }),
        ]
        for (setting, change) in cases {
            let e = try #require(Self.error(change), "\(setting) is checked")
            #expect(e.setting == setting)
            #expect(e.message.hasPrefix(setting.rawValue + ": "), "\(e.message)")
            #expect(!e.message.contains("--"), "no flag in the engine's words: \(e.message)")
        }
        #expect(Self.error { _ in } == nil, "the book's defaults are valid")
    }

    @Test func messageNamesTheSettingAndTheValue() throws {
        let dropout = try #require(Self.error { $0.network.dropout = 1.5 })
        #expect(dropout.message == "dropout ratio: must be in [0, 1), got 1.5")
        let lr = try #require(Self.error { $0.learningRate = 0 })
        #expect(lr.message == "learning rate: must be a positive number, got 0.0")
    }
}
