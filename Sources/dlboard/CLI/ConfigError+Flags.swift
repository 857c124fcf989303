import NN

extension ConfigError {
    /// The flag a user sets each engine setting with; nil for settings no flag sets (the input and
    /// output widths follow the data).
    static func flag(for setting: Setting) -> String? {
        switch setting {
        case .hiddenLayers: "--hidden"
        case .dropout: "--dropout"
        case .inputDropout: "--input-dropout"
        case .weightDecay: "--weight-decay"
        case .initializer: "--init"
        case .activation: "--activation"
        case .learningRate: "--lr"
        case .batchSize: "--batch"
        case .epochs: "--epochs"
        case .momentum: "--momentum"
        case .beta1: "--beta1"
        case .beta2: "--beta2"
        case .rho: "--rho"
        case .epsilon: "--eps"
        case .learningRateSchedule: "--lr-schedule"
        case .augmentation: "--augment"
        case .inputSize, .outputSize: nil
        }
    }

    /// The error as the command line words it: named by the flag that set the bad value
    /// ("--dropout: ratio must be in [0, 1), got 1.5"), or by the engine's name for the setting.
    var flagMessage: String {
        guard let setting, let flag = Self.flag(for: setting) else { return message }
        // The engine's names carry a noun the flag already says ("dropout ratio" → "--dropout: ratio").
        let noun: String =
            switch setting {
            case .dropout, .inputDropout: "ratio "
            case .learningRate: "learning rate "
            default: ""
            }
        return "\(flag): \(noun)\(problem)"
    }
}
