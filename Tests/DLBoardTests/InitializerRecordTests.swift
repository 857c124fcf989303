import Foundation
import NN
import Testing

@testable import dlboard

/// The symmetry trap's initializers in a run record: written as they are spelled on the command line
/// (`"0"`, `"constant:0.5"`), read back equal; a constant that is not finite makes the line damaged.
@Suite struct InitializerRecordTests {
    static func record(_ initializer: Initializer) -> ConfigRecord {
        var config = TrainingConfig(network: NetworkConfig(inputSize: 16, hidden: [8], outputSize: 4))
        config.network.initializer = initializer
        return ConfigRecord(
            t: 0, created: nil, argv: [], dataset: "MNIST", datasetChecksum: nil, dataDirectory: "", trainSize: 100,
            validationSize: 0, testSize: 0, config: config)
    }

    @Test(arguments: [
        (Initializer.zeros, #""0""#), (.constant(0.5), #""constant:0.5""#), (.constant(-2), #""constant:-2.0""#),
    ])
    func readsBack(_ initializer: Initializer, _ spelled: String) throws {
        let line = try RecordEncoder.line(Self.record(initializer))
        #expect(line.contains(spelled), "\(line)")
        let back = try JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8))
        guard case .config(let c) = back else {
            Issue.record("not a config: \(back)")
            return
        }
        #expect(c.config.network.initializer == initializer)
    }

    @Test func aConstantThatIsNotFiniteIsRefused() throws {
        let line = try RecordEncoder.line(Self.record(.constant(0.5)))
            .replacingOccurrences(of: #""constant:0.5""#, with: #""constant:nan""#)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8)) }
    }
}
