import NN
import Testing

@testable import dlboard

/// The optimizer parameters and the schedule from the command line: single values into every run's
/// configuration, lists into one run per value titled by it, bad values as one line naming the flag.
@Suite struct OptimizerFlagTests {
    func train(_ arguments: [String]) throws -> TrainingConfig {
        let command = try #require(try DLBoard.parseAsRoot(["train"] + arguments) as? TrainCommand)
        return command.options.trainingConfig()
    }

    func compare(_ arguments: [String]) throws -> [TrainingConfig] {
        let command = try #require(try DLBoard.parseAsRoot(["compare"] + arguments) as? CompareCommand)
        return command.variation.configs(command.options, defaultEpochs: 5)
    }

    func error(_ arguments: [String]) -> String? {
        do {
            _ = try DLBoard.parseAsRoot(arguments)
            return nil
        } catch {
            return DLBoard.oneLineMessage(for: error)
        }
    }

    @Test func singleValuesReachTheConfiguration() throws {
        #expect(try train([]).optimizerParameters == .book && train([]).schedule == .constant)
        let c = try train([
            "--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99", "--eps", "1e-8", "--rho", "0.9",
            "--momentum", "0.5", "--lr-schedule", "step:2:0.5",
        ])
        #expect(
            c.optimizerParameters
                == OptimizerParameters(momentum: 0.5, beta1: 0.8, beta2: 0.99, rho: 0.9, epsilon: 1e-8))
        #expect(c.schedule == .step(every: 2, factor: 0.5))
    }

    @Test func listsMakeOneRunPerValueTitledByIt() throws {
        let momenta = try compare(["--optimizer", "momentum", "--momenta", "0.5,0.9,0.99"])
        #expect(momenta.map(\.optimizerParameters.momentum) == [0.5, 0.9, 0.99])
        #expect(momenta.allSatisfy { $0.optimizer == .momentum })
        #expect(ConfigDiff.titles(momenta) == ["β 0.5", "β 0.9", "β 0.99"])
        let eps = try compare(["--optimizer", "adam", "--eps-list", "1e-7,1e-3"])
        #expect(eps.map(\.optimizerParameters.epsilon) == [1e-7, 1e-3])
        #expect(ConfigDiff.titles(eps) == ["ε 1e-07", "ε 0.001"])
        let betas = try compare(["--optimizer", "adam", "--beta2s", "0.99,0.999"])
        #expect(betas.map(\.optimizerParameters.beta2) == [0.99, 0.999])
        let schedules = try compare(["--lr-schedules", "constant,inverse:1,exp:0.9,isqrt:1,step:5:0.5,cosine:10"])
        #expect(
            schedules.map(\.schedule.argument) == [
                "constant", "inverse:1", "exp:0.9", "isqrt:1", "step:5:0.5", "cosine:10",
            ])
        #expect(ConfigDiff.titles(schedules).prefix(2) == ["lr constant", "lr inverse:1"])
        // A single value fixes it for every run of another knob's comparison.
        let lrs = try compare(["--lrs", "0.1,0.01", "--lr-schedules", "exp:0.5", "--rhos", "0.9"])
        #expect(lrs.allSatisfy { $0.schedule == .exponential(rate: 0.5) && $0.optimizerParameters.rho == 0.9 })
    }

    @Test func badValuesAreOneLineErrorsNamingTheFlag() {
        for (args, message) in [
            (["train", "--beta1", "1"], "dlboard: error: --beta1: must be in [0, 1), got 1.0"),
            (["train", "--rho", "-0.1"], "dlboard: error: --rho: must be in [0, 1), got -0.1"),
            (["train", "--eps", "nan"], "dlboard: error: --eps: must be a positive finite number, got nan"),
            (["train", "--beta2", "1.5"], "dlboard: error: --beta2: must be in [0, 1), got 1.5"),
            (
                ["train", "--lr-schedule", "step:0:0.5"],
                "dlboard: error: --lr-schedule: step S (epochs per step) must be at least 1, got 0"
            ),
            (
                ["train", "--lr-schedule", "cosine:0"],
                "dlboard: error: --lr-schedule: cosine T (epochs) must be at least 1, got 0"
            ),
            (
                ["compare", "--eps-list", "1e-7,0"],
                "dlboard: error: --eps-list: must be a positive finite number, got 0.0"
            ),
            (["compare", "--momenta", "0.5,1"], "dlboard: error: --momenta: must be in [0, 1), got 1.0"),
            (
                ["compare", "--lr-schedules", "constant,exp:2"],
                "dlboard: error: --lr-schedules: exp rate R must be in (0, 1], got 2.0"
            ),
            (
                ["compare", "--momenta", "0.5,0.9", "--lrs", "0.1,0.01"],
                "dlboard: error: compare varies one knob at a time; got --lrs and --momenta"
            ),
            (
                ["compare", "--momenta", "0.5,0.9"],
                "dlboard: error: --momenta: SGD does not use it; give --optimizer momentum or nesterov"
            ),
            (
                ["compare", "--optimizer", "momentum", "--eps-list", "1e-7,1e-8"],
                "dlboard: error: --eps-list: Momentum does not use it; give --optimizer adagrad or rmsprop or adam"
            ),
        ] {
            #expect(error(args) == message, "\(args)")
        }
        let unknown = error(["train", "--lr-schedule", "linear:3"])
        #expect(unknown?.contains("'linear:3'") == true && unknown?.contains("--lr-schedule") == true)
        #expect(unknown?.contains("\n") == false)
    }
}
