import NN
import Testing

@testable import dlboard

/// The command line words the engine's configuration errors by the flag the user typed.
@Suite struct ConfigErrorFlagTests {
    @Test func everySettingAFlagSetsIsNamedByThatFlag() {
        let expected: [ConfigError.Setting: String] = [
            .hiddenLayers: "--hidden", .dropout: "--dropout", .inputDropout: "--input-dropout",
            .weightDecay: "--weight-decay",
            .initializer: "--init", .activation: "--activation", .learningRate: "--lr", .batchSize: "--batch",
            .epochs: "--epochs",
            .momentum: "--momentum", .beta1: "--beta1", .beta2: "--beta2", .rho: "--rho", .epsilon: "--eps",
            .learningRateSchedule: "--lr-schedule", .augmentation: "--augment",
        ]
        for setting in ConfigError.Setting.allCases {
            #expect(ConfigError.flag(for: setting) == expected[setting], "\(setting)")
        }
        #expect(
            ConfigError(.dropout, "must be in [0, 1), got 1.5").flagMessage
                == "--dropout: ratio must be in [0, 1), got 1.5")
        #expect(
            ConfigError(.inputDropout, "must be in [0, 1), got 1.0").flagMessage
                == "--input-dropout: ratio must be in [0, 1), got 1.0")
        #expect(
            ConfigError(.learningRate, "must be a positive number, got 0.0").flagMessage
                == "--lr: learning rate must be a positive number, got 0.0")
        #expect(
            ConfigError(.inputSize, "must be at least 1, got 0").flagMessage == "input size: must be at least 1, got 0")
        #expect(ConfigError("too large").flagMessage == "too large")
    }
}
