import Foundation
import NN
import Testing

@testable import dlboard

/// The `weight-symmetry` preset's runs, trained in-process on the bundled MNIST (2,000 images), read
/// by the per-layer verdicts as the layers view reads them.
@Suite struct WeightSymmetryPresetTests {
    static let mnist: Result<Dataset, any Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (train, test) = try MNIST.load(directory: root.appendingPathComponent("assets/mnist").path)
        return Dataset(name: "mnist", train: train.prefix(2000), test: test.prefix(100))
    }

    /// The preset's runs (those of `titles`, or all) trained `steps` steps, the last one collecting.
    static func trained(steps: Int, titles: [String]? = nil) throws -> [(title: String, trainer: Trainer)] {
        let data = try mnist.get()
        let training = try #require(Preset.weightSymmetry.training(.init(steps: steps)))
        return training.runs.filter { titles?.contains($0.title) ?? true }.map { spec in
            let t = Trainer(config: spec.config, data: data)
            for _ in 0..<(spec.stepTarget ?? 0) - 1 { t.step() }
            t.step(collectingStatistics: true)
            return (spec.title, t)
        }
    }

    @Test func zerosAndTheConstantStaySymmetricHeDoesNot() throws {
        let runs = try Self.trained(steps: 100)
        #expect(runs.map(\.title) == ["init zeros", "init constant 0.01", "init std 0.01", "init He"])
        #expect(runs.allSatisfy { $0.trainer.steps == 100 })
        for (title, t) in runs {
            let verdicts = LayerVerdict.assess(t.lastLayerStatistics)
            let hidden = verdicts.dropLast()
            if title == "init zeros" || title == "init constant 0.01" {
                #expect(
                    hidden.allSatisfy { $0 == .symmetric(units: 100, distinct: 1) }, "\(title): \(verdicts)")
                #expect(
                    LayerHint.line(layer: 1, verdict: verdicts[0])?.contains("100 units, 1 distinct") == true)
            } else {
                #expect(
                    !verdicts.contains { if case .symmetric = $0 { true } else { false } }, "\(title): \(verdicts)")
                #expect(t.lastLayerStatistics.dropLast().allSatisfy { $0.distinctUnits == 100 }, "\(title)")
            }
        }
    }

    @Test func underZerosOnlyTheOutputBiasesLearn() throws {
        let zeros = try #require(try Self.trained(steps: 100, titles: ["init zeros"]).first).trainer.network
        // Every ReLU is dead at 0, so no weight gradient flows and no hidden bias moves…
        for a in zeros.affines {
            #expect(a.weight.value.values.allSatisfy { $0 == 0 }, "\(a.name) W")
        }
        for a in zeros.affines.dropLast() {
            #expect(a.bias.value.values.allSatisfy { $0 == 0 }, "\(a.name) b")
        }
        // …while the output biases learn the class frequencies: the only thing that learns.
        let b = zeros.affines.last!.bias.value.values
        #expect(b.contains { abs($0) > 1e-3 }, "\(b)")
    }
}
