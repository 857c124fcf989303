import NN

/// What a run's pane title says: the settings in which it differs from the first run — a config
/// diff, not the whole config.
enum ConfigDiff {
    /// The user-facing settings of a config, each a (key, text) pair; keys say what to compare.
    static func fields(_ c: TrainingConfig) -> [(key: String, text: String)] {
        let n = c.network
        let p = c.optimizerParameters
        return [
            ("optimizer", c.optimizer.displayName),
            ("lr", "lr \(Format.number(c.effectiveLearningRate))"),
            ("schedule", "lr \(c.schedule.argument)"),
            ("momentum", "β \(Format.number(p.momentum))"), ("beta1", "β1 \(Format.number(p.beta1))"),
            ("beta2", "β2 \(Format.number(p.beta2))"), ("rho", "ρ \(Format.number(p.rho))"),
            ("eps", "ε \(Format.number(p.epsilon))"),
            ("init", "init \(n.initializer.displayName)"),
            ("activation", n.activation.displayName),
            ("loss", "\(n.loss.displayName) loss"),
            ("hidden", n.shapeDescription),
            ("bn", n.normalization.switchText),
            ("dropout", n.dropout > 0 ? "dropout \(Format.number(n.dropout))" : "no dropout"),
            ("dropout style", "\(n.dropoutStyle.displayName) dropout"),
            (
                "input dropout",
                n.inputDropout > 0 ? "input dropout \(Format.number(n.inputDropout))" : "no input dropout"
            ),
            ("wd", "wd \(Format.number(n.weightDecay))"),
            ("batch", "batch \(c.batchSize)"),
            ("inputs", c.inputs.displayName),
            ("augment", c.augmentation.displayName),
        ]
    }

    /// The texts of `config`'s fields that differ from `base`.
    static func differences(_ config: TrainingConfig, from base: TrainingConfig) -> [String] {
        zip(fields(config), fields(base)).filter { $0.0.text != $0.1.text }.map(\.0.text)
    }

    /// Titles for a set of runs: the first shows its values of every field that differs in any
    /// other run (the baseline), the others what differs from the first. "same as 1" when nothing does.
    static func titles(_ configs: [TrainingConfig]) -> [String] {
        guard let base = configs.first else { return [] }
        let varied = Set(
            configs.dropFirst().flatMap { c in
                zip(fields(c), fields(base)).filter { $0.0.text != $0.1.text }.map(\.0.key)
            })
        return configs.enumerated().map { i, c in
            if i == 0 {
                let texts = fields(base).filter { varied.contains($0.key) }.map(\.text)
                return texts.isEmpty ? "baseline" : texts.joined(separator: " ")
            }
            let d = differences(c, from: base)
            return d.isEmpty ? "same as 1" : d.joined(separator: " ")
        }
    }
}
