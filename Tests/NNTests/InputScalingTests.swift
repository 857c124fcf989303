import Foundation
import NN
import Testing

/// `--inputs`: unit is the book's byte / 255 unchanged, raw the bytes, standardize per-pixel
/// (x − μ)/σ from the training split only, for every image the network sees.
@Suite struct InputScalingTests {
    /// Four 2-pixel images: pixel 0 varies (0, 51, 102, 153), pixel 1 is always 255.
    let train = LabeledImages(pixels: [0, 255, 51, 255, 102, 255, 153, 255], labels: [0, 1, 0, 1], features: 2)

    @Test func rawIsExactlyTheBytes() {
        let x = Matrix(rows: 1, cols: 256, values: (0..<256).map { Float($0) / 255 })
        InputTransform(.raw, train: train).apply(to: x)
        #expect(Array(UnsafeBufferPointer(start: x.pointer, count: 256)) == (0..<256).map(Float.init))
    }

    @Test func unitChangesNothing() {
        let values: [Float] = [0, 0.2, 1, 0.5]
        let x = Matrix(rows: 2, cols: 2, values: values)
        InputTransform(.unit, train: train).apply(to: x)
        #expect(Array(UnsafeBufferPointer(start: x.pointer, count: 4)) == values)
    }

    @Test func standardizeUsesEachPixelsTrainingMeanAndFlooredDeviation() {
        let t = InputTransform(.standardize, train: train)
        // Pixel 0 in unit scale: 0, 0.2, 0.4, 0.6 → μ 0.3, σ √0.05 (population).
        let sigma = Float(0.05.squareRoot())
        let x = Matrix(rows: 2, cols: 2, values: [0.3, 1, 0.6, 0.5])
        t.apply(to: x)
        #expect(abs(x[0, 0]) < 1e-6)
        #expect(abs(x[1, 0] - 0.3 / sigma) < 1e-5)
        // Pixel 1 is constant: σ floored at 0.1, so it is centred and scaled ×10, not divided by 0.
        #expect(abs(x[0, 1]) < 1e-6)
        #expect(abs(x[1, 1] - (0.5 - 1) / InputTransform.minimumDeviation) < 1e-5)
    }

    @Test func standardizedTrainingImagesHaveZeroMeanAndUnitVariance() {
        let data = Synthetic.dataset(train: 300, test: 50)
        let trainer = Trainer(config: config(.standardize), data: data)
        let x = Matrix(rows: 0, cols: 0)
        var labels: [Int32] = []
        data.train.gather(range: 0..<data.train.count, into: x, labels: &labels)
        trainer.inputTransform.apply(to: x)
        for j in 0..<x.cols {
            let column = (0..<x.rows).map { Double(x[$0, j]) }
            let mean = column.reduce(0, +) / Double(x.rows)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.rows)
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-3)
        }
    }

    /// The statistics come from the training split: the same test set gives other inputs when the
    /// training images change, and the test images are never looked at.
    @Test func statisticsComeFromTheTrainingSplitOnly() {
        let data = Synthetic.dataset(train: 300, test: 50)
        var brighterTest = data
        brighterTest.test = LabeledImages(
            pixels: data.test.pixels.map { 255 - $0 }, labels: data.test.labels, features: data.test.features,
            classes: data.test.classes)
        let a = InputTransform(.standardize, train: data.train)
        #expect(a == Trainer(config: config(.standardize), data: brighterTest).inputTransform)
        #expect(a != InputTransform(.standardize, train: data.train.prefix(100)))
    }

    @Test func unitTrainsBitIdenticalToTheDefault() {
        let data = Synthetic.dataset()
        let a = Trainer(config: config(.unit), data: data)
        var stated = config(.unit)
        stated.inputs = .unit
        let b = Trainer(config: stated, data: data)
        for _ in 0..<20 { #expect(a.step() == b.step()) }
        #expect(a.accuracy(on: data.test) == b.accuracy(on: data.test))
    }

    /// Each scaling changes what the network sees, in training and in evaluation alike.
    @Test func scalingsTrainDifferentlyAndEvaluateWithTheirOwnInputs() {
        let data = Synthetic.dataset()
        var losses: [[Double]] = []
        for s in InputScaling.allCases {
            let t = Trainer(config: config(s), data: data)
            losses.append((0..<5).map { _ in t.step() })
            #expect(t.config.inputs == s)
        }
        #expect(Set(losses.map { $0.description }).count == 3)
        // A network trained on standardized inputs is judged on standardized test images: fed /255
        // images it would do worse than the accuracy it reports.
        let t = Trainer(config: config(.standardize), data: data)
        for _ in 0..<60 { t.step() }
        #expect(t.accuracy(on: data.test) > 0.8)
    }

    @Test func configRecordsTheScalingOnlyWhenNotTheBooks() throws {
        let book = try String(decoding: JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        #expect(!book.contains("inputs"))
        var c = TrainingConfig()
        c.inputs = .standardize
        let text = try String(decoding: JSONEncoder().encode(c), as: UTF8.self)
        #expect(text.contains("\"inputs\":\"standardize\""))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) == c)
    }

    private func config(_ inputs: InputScaling) -> TrainingConfig {
        var c = Synthetic.config()
        c.inputs = inputs
        return c
    }
}
