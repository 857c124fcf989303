import Foundation
import Testing

/// `preset augmentation` headless on E7/E8's 300 images: the augmented run's train–test gap is the
/// narrower one at the end, and evaluation saw the images as they are.
@Suite(.serialized, .longTraining) struct AugmentationPresetTests {
    @Test func augmentationNarrowsTheOverfittingGap() throws {
        let (runs, _, records) = try PresetTests.preset(["augmentation", "--epochs", "75", "--test-size", "500"])
        #expect(runs.map(\.title) == ["no augmentation", "shift ±2 rotate ±10° noise 0.1"])
        let plain = runs[0]
        let augmented = runs[1]
        #expect(plain.lastTrain >= 0.9, "300 images are nearly learnt by heart as they are: \(plain.lastTrain)")
        #expect(
            plain.lastTrain - plain.lastTest > augmented.lastTrain - augmented.lastTest,
            "gap \(plain.lastTrain - plain.lastTest) vs \(augmented.lastTrain - augmented.lastTest)")
        #expect(augmented.evals.count == 75, "judged on train and test after every epoch")
        let configs = records.filter { $0["type"] as? String == "config" }
        #expect(
            configs.compactMap { $0["config"] as? [String: Any] }.map { $0["augment"] as? String }
                == [nil, "shift:2+rotate:10+noise:0.1"])
        #expect(configs.allSatisfy { $0["train_size"] as? Int == 300 })
    }
}
