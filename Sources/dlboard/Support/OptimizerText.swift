import NN

/// How every line names a run's optimizer: `Adam β2 0.99 lr 0.001` — the optimizer, those of its
/// parameters that are not the book's (the book's are the README's, and all of them would not fit
/// an 80-column status bar beside the rest), and the rate; under a schedule the rate and where it
/// comes from.
enum OptimizerText {
    /// `currentRate`: the rate the next step takes (`SGD lr 0.0081 (exp:0.9 of 0.01)`); nil where
    /// no step is meant, a run's header (`SGD lr 0.01 (exp:0.9)`).
    static func describe(_ c: TrainingConfig, currentRate: Float? = nil) -> String {
        var text = c.optimizer.displayName
        let p = c.optimizerParameters
        for key in OptimizerParameters.used(by: c.optimizer)
        where p[keyPath: key] != OptimizerParameters.book[keyPath: key] {
            text += " \(OptimizerParameters.symbol(key)) \(Format.number(p[keyPath: key]))"
        }
        let base = Format.number(c.effectiveLearningRate)
        if c.schedule == .constant { return text + " lr \(base)" }
        guard let currentRate else { return text + " lr \(base) (\(c.schedule.argument))" }
        return text + " lr \(Format.number(currentRate)) (\(c.schedule.argument) of \(base))"
    }
}
