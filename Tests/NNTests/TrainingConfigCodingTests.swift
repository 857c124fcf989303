import Foundation
import NN
import Testing

/// A configuration states the optimizer parameters and the schedule only when they are not the
/// book's: a record of a run at the book's values reads as before, and one without them (written
/// before they existed) reads as the book's.
@Suite struct TrainingConfigCodingTests {
    @Test func theBooksValuesAreLeftOutAndReadBack() throws {
        let book = try String(decoding: JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        #expect(!book.contains("optimizerParameters") && !book.contains("schedule"))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(book.utf8)) == TrainingConfig())
        var c = TrainingConfig(optimizer: .adam)
        c.optimizerParameters.epsilon = 1e-8
        c.schedule = .cosine(epochs: 7)
        let text = try String(decoding: JSONEncoder().encode(c), as: UTF8.self)
        #expect(text.contains("\"schedule\":\"cosine:7\""))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) == c)
    }
}
