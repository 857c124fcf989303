import NN
import Testing

/// What a configuration needs is worked out before anything is allocated, and a run that cannot
/// fit is refused with how much it needs.
@Suite struct MemoryEstimateTests {
    let data = Synthetic.dataset(train: 200, test: 50)

    @Test func theBooksNetworkNeedsAFewMegabytes() {
        let bytes = MemoryEstimate.bytes(for: TrainingConfig())
        // 784-100×4-10: 109,386 parameters × 4 copies and batch buffers, ~1.4 M floats at 1000 rows.
        #expect(bytes > 4 * 109_386 * 4 && bytes < 20e6, "\(bytes)")
    }

    @Test func aHugeLayerIsRefusedWithWhatItNeeds() throws {
        var c = TrainingConfig()
        c.network.hidden = [10_000_000]
        #expect(MemoryEstimate.bytes(for: c) > 4 * 2 * 784e7)
        let error = try #require(throws: ConfigError.self) {
            try MemoryEstimate.check([c], data: data, available: 16e9)
        }
        #expect(error.message.hasPrefix("this configuration needs about "), "\(error.message)")
        #expect(
            error.message.contains("784-10000000-10, batch 100")
                && error.message.contains("more than the 16.0 GB available"), "\(error.message)")
    }

    @Test func widthsNearIntMaxDoNotOverflow() {
        var c = TrainingConfig(batchSize: Int.max)
        c.network.hidden = [Int.max, Int.max]
        #expect(MemoryEstimate.bytes(for: c) > 1e30)
        #expect(throws: ConfigError.self) { try MemoryEstimate.check([c], data: data) }
    }

    @Test func theRunsOfAComparisonAddUp() throws {
        var c = TrainingConfig()
        c.network.hidden = [2000, 2000]
        let one = MemoryEstimate.bytes(for: c)
        try MemoryEstimate.check([c], data: data, available: one * 1.5)
        let error = try #require(throws: ConfigError.self) {
            try MemoryEstimate.check([c, c], data: data, available: one * 1.5)
        }
        #expect(error.message.hasPrefix("these 2 runs need about "), "\(error.message)")
    }

    @Test func fittingTakesTheImageSizeAndClampsTheBatch() {
        var c = TrainingConfig(batchSize: 500)
        c.network.inputSize = 784
        let fitted = c.fitted(to: data)
        #expect(fitted.network.inputSize == 16 && fitted.batchSize == 200)
        #expect(TrainingConfig(batchSize: 20).fitted(to: data).batchSize == 20)
    }

    @Test func thereIsMemoryToUse() {
        #expect(MemoryEstimate.available > 100e6)
    }
}
