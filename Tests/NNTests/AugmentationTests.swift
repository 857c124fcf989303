import Foundation
import NN
import Testing

/// `--augment`: shifts, rotations and noise of the training batches, by hand on tiny images, seeded
/// per sample position, shared by lock-step runs, and never applied to evaluation.
@Suite struct AugmentationTests {
    @Test func parsesAndWritesItsSpelling() throws {
        let a = try #require(Augmentation(argument: "shift:2,rotate:10,noise:0.1"))
        #expect(a == Augmentation(shift: 2, rotate: 10, noise: 0.1))
        #expect(a.argument == "shift:2+rotate:10+noise:0.1")
        #expect(Augmentation(argument: a.argument) == a)
        #expect(Augmentation(argument: "none") == Augmentation.none)
        #expect(Augmentation(argument: "noise:0.05")?.argument == "noise:0.05")
        for bad in ["", "flip:1", "shift", "shift:a", "shift:1,shift:2", "shift:1.5"] {
            #expect(Augmentation(argument: bad) == nil, "\(bad)")
        }
        #expect(throws: ConfigError.self) { try Augmentation(shift: -1).validate() }
        #expect(throws: ConfigError.self) { try Augmentation(rotate: 200).validate() }
        #expect(throws: ConfigError.self) { try Augmentation(noise: .nan).validate() }
    }

    /// A 3×3 image moved one right and one down, by hand: the top row and left column fill with 0.
    @Test func shiftOfATinyImageByHand() {
        let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        #expect(shifted(image, dx: 1, dy: 1) == [0, 0, 0, 0, 1, 2, 0, 4, 5])
        #expect(shifted(image, dx: -1, dy: 0) == [2, 3, 0, 5, 6, 0, 8, 9, 0])
        #expect(shifted(image, dx: 0, dy: -2) == [7, 8, 9, 0, 0, 0, 0, 0, 0])
        #expect(shifted(image, dx: 3, dy: 0) == [Float](repeating: 0, count: 9))
        // The bilinear path at angle 0 moves by whole pixels exactly as the copying one.
        #expect(warped(image, dx: 1, dy: 1, angle: 0) == [0, 0, 0, 0, 1, 2, 0, 4, 5])
    }

    @Test func rotationByZeroIsTheIdentity() {
        let image = (0..<784).map { Float($0 % 29) / 28 }
        #expect(warped(image, dx: 0, dy: 0, angle: 0) == image)
        // A quarter turn of a 3×3 image is a permutation (to float rounding of cos 90°).
        let quarter = warped([1, 2, 3, 4, 5, 6, 7, 8, 9], dx: 0, dy: 0, angle: .pi / 2)
        let expected: [Float] = [7, 4, 1, 8, 5, 2, 9, 6, 3]
        let turnedOtherWay: [Float] = [3, 6, 9, 2, 5, 8, 1, 4, 7]
        let close = { (a: [Float], b: [Float]) in zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 } }
        #expect(close(quarter, expected) || close(quarter, turnedOtherWay))
    }

    @Test func drawsStayInTheirRanges() {
        let a = Augmentation(shift: 2, rotate: 10, noise: 0)
        var dxs: Set<Int> = []
        for p in 0..<2000 {
            let d = a.draw(seed: 3, position: p)
            #expect(abs(d.dx) <= 2 && abs(d.dy) <= 2)
            #expect(abs(d.angle) <= 10 * .pi / 180 + 1e-6)
            dxs.insert(d.dx)
        }
        #expect(dxs == [-2, -1, 0, 1, 2])
    }

    /// Noise of std 0.1 on mid-grey pixels (far from the clip): mean 0, std 0.1, and never outside 0…1
    /// where it is clipped.
    @Test func noiseStatistics() {
        let a = Augmentation(noise: 0.1)
        let x = Matrix(rows: 50, cols: 784, values: [Float](repeating: 0.5, count: 50 * 784))
        var scratch: [Float] = []
        a.apply(to: x, width: 28, seed: 1, firstPosition: 0, scratch: &scratch)
        let v = Array(UnsafeBufferPointer(start: x.pointer, count: x.count)).map { Double($0) - 0.5 }
        let mean = v.reduce(0, +) / Double(v.count)
        let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
        #expect(abs(mean) < 0.002)
        #expect(abs(std - 0.1) < 0.002)
        // Within one standard deviation: about 68 % as for a normal distribution.
        let inside = Double(v.filter { abs($0) < 0.1 }.count) / Double(v.count)
        #expect(abs(inside - 0.683) < 0.02)
        let black = Matrix(rows: 4, cols: 784)
        a.apply(to: black, width: 28, seed: 1, firstPosition: 0, scratch: &scratch)
        let b = Array(UnsafeBufferPointer(start: black.pointer, count: black.count))
        #expect(b.allSatisfy { $0 >= 0 && $0 <= 1 } && b.contains { $0 > 0 })
    }

    @Test func sameSeedAndPositionGiveTheSameAugmentedBatch() {
        let a = Augmentation(shift: 2, rotate: 10, noise: 0.1)
        let one = augmented(a, seed: 5, first: 100)
        #expect(one == augmented(a, seed: 5, first: 100))
        #expect(one != augmented(a, seed: 6, first: 100))
        #expect(one != augmented(a, seed: 5, first: 101))
        // A sample's changes depend on its position alone, not on the batch it came in.
        let whole = augmented(a, seed: 5, first: 100, rows: 4)
        let tail = Array(whole[(2 * 784)...])
        #expect(tail == augmented(a, seed: 5, first: 102, rows: 2))
    }

    /// Runs in lock-step that differ in anything but the seed (here the optimizer and Dropout, which
    /// draw from their own streams) see the same augmented batch k.
    @Test func lockStepRunsSeeTheSameAugmentedBatches() {
        let data = Synthetic.dataset(train: 64, test: 16)
        var c1 = Synthetic.config()
        c1.augmentation = Augmentation(shift: 1, rotate: 15, noise: 0.05)
        var c2 = c1
        c2.optimizer = .adam
        c2.network.dropout = 0.3
        let a = Trainer(config: c1, data: data)
        let b = Trainer(config: c2, data: data)
        var sampler = BatchSampler(count: data.train.count, batchSize: 20, seed: 9)
        for _ in 0..<5 {
            let batch = sampler.next()
            a.step(indices: batch)
            b.step(indices: batch)
            #expect(a.lastInputs == b.lastInputs)
        }
        let plain = Trainer(config: Synthetic.config(), data: data)
        for _ in 0..<4 { plain.step(indices: [0]) }
        plain.step(indices: a.lastBatch)
        #expect(plain.lastInputs != a.lastInputs)
    }

    /// Lock-step with different batch sizes: sample p gets the same changes whatever batch it is
    /// in, so two steps of 10 see exactly the images one step of 20 sees.
    @Test func samplePositionNotBatchDecidesTheChanges() {
        let data = Synthetic.dataset(train: 64, test: 16)
        var c = Synthetic.config()
        c.augmentation = Augmentation(shift: 2, rotate: 10, noise: 0.1)
        var small = c
        small.batchSize = 10
        var large = c
        large.batchSize = 20
        let a = Trainer(config: small, data: data)
        let b = Trainer(config: large, data: data)
        let indices = Array(0..<20).map { ($0 * 7) % 64 }
        a.step(indices: Array(indices[..<10]))
        let first = a.lastInputs
        a.step(indices: Array(indices[10...]))
        b.step(indices: indices)
        #expect(first + a.lastInputs == b.lastInputs)
        let plain = Trainer(config: Synthetic.config(), data: data)
        plain.step(indices: indices)
        #expect(plain.lastInputs != b.lastInputs, "the batch was augmented at all")
    }

    /// Evaluation sees the images as they are: the same accuracy with and without augmentation for
    /// the same weights, and a trainer with no augmentation trains bit-identically to one that was
    /// never given any.
    @Test func evaluationIsUntouched() {
        let data = Synthetic.dataset()
        var c = Synthetic.config()
        let plain = Trainer(config: c, data: data)
        c.augmentation = Augmentation(shift: 2, noise: 0.2)
        let augmented = Trainer(config: c, data: data)
        let twin = plain.fork()
        twin.setAugmentation(c.augmentation)
        #expect(twin.accuracy(on: data.test) == plain.accuracy(on: data.test))
        #expect(twin.accuracy(on: data.train) == plain.accuracy(on: data.train))
        #expect(augmented.step() != Trainer(config: Synthetic.config(), data: data).step())
        twin.setAugmentation(.none)
        for _ in 0..<5 { #expect(twin.step() == plain.step()) }
    }

    private func shifted(_ image: [Float], dx: Int, dy: Int) -> [Float] {
        var out = [Float](repeating: -1, count: image.count)
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Augmentation.shift(src.baseAddress!, into: dst.baseAddress!, width: 3, height: 3, dx: dx, dy: dy)
            }
        }
        return out
    }

    private func warped(_ image: [Float], dx: Int, dy: Int, angle: Float) -> [Float] {
        let side = Int(Double(image.count).squareRoot())
        var out = [Float](repeating: -1, count: image.count)
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Augmentation.warp(
                    src.baseAddress!, into: dst.baseAddress!, width: side, height: side, dx: dx, dy: dy, angle: angle)
            }
        }
        return out
    }

    private func augmented(_ a: Augmentation, seed: UInt64, first: Int, rows: Int = 2) -> [Float] {
        let values = (0..<(rows * 784)).map { Float((($0 % 784) * 7) % 256) / 255 }
        let x = Matrix(rows: rows, cols: 784, values: values)
        var scratch: [Float] = []
        a.apply(to: x, width: 28, seed: seed, firstPosition: first, scratch: &scratch)
        return Array(UnsafeBufferPointer(start: x.pointer, count: x.count))
    }
}
