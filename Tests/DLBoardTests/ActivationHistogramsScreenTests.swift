import NN
import TUI
import Testing

@testable import dlboard

/// The E3 screen after the book's four rows: zeros and a constant, each layer "symmetric" with how
/// many of its units differ, at the smallest dashboard size and a larger one.
@Suite struct ActivationHistogramsScreenTests {
    /// One screen per activation, rendered at both sizes: the rows are computed once, when the
    /// screen is made (six weight scales through five layers of 1000×100), and do not depend on the
    /// size, so computing them again per size would only repeat the same forward passes.
    @Test(arguments: Activation.allCases)
    func symmetricRowsSayHowManyUnitsDiffer(activation: Activation) {
        let screen = ActivationHistogramsScreen(seed: 0, activation: activation)
        for (width, height) in [(80, 24), (120, 40)] {
            let buffer = screen.render(width: width, height: height, glyphs: .braille)
            let lines = (0..<height).map(buffer.line)
            let names = ["std 1", "std 0.01", "Xavier", "He", "zeros", "all 0.1"]
            let rows = names.map { name in lines.firstIndex { $0.hasPrefix(name + " ") } }
            #expect(rows.allSatisfy { $0 != nil }, "\(activation) \(width)×\(height): every row drawn")
            let found = rows.compactMap { $0 }
            #expect(found == found.sorted(), "the book's rows first, in order")
            for r in found.suffix(2) {
                #expect(lines[r + 1].hasPrefix("1 of 100"), "\(activation) \(width)×\(height): \(lines[r + 1])")
                #expect(lines[r - 1].components(separatedBy: "symmetric").count - 1 == 5, "\(lines[r - 1])")
            }
            for r in found.prefix(4) {
                #expect(!lines[r - 1].contains("symmetric"), "random weights are never symmetric: \(lines[r - 1])")
            }
        }
    }
}
