import Foundation
import Testing

@testable import dlboard

/// The README's keys tables are written by hand; `KeyMap` is the one key table of the code. These
/// keep the two in step: a key bound but not documented (or documented but gone) fails here.
@Suite struct ReadmeKeysTests {
    /// The first column of the README table that follows `heading`: every key it names, backticked
    /// (`o`) or plain (space, F1, Esc).
    static func documentedKeys(after heading: String) throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let section = try #require(text.range(of: heading)).upperBound
        let lines = text[section...].split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("| key |") })
        var keys = Set<String>()
        for line in lines[(start + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cell = line.split(separator: "|", omittingEmptySubsequences: false)[1]
            for word in cell.split(separator: " ") {
                keys.insert(String(word.hasPrefix("`") && word.hasSuffix("`") ? word.dropFirst().dropLast() : word))
            }
        }
        return keys
    }

    @Test func everyDashboardKeyIsInTheReadme() throws {
        let documented = try Self.documentedKeys(after: "### `dlboard` (= `dlboard dashboard`)")
        for b in KeyMap.bindings {
            for k in b.keys {
                #expect(
                    documented.contains(k.displayName), "\(k.displayName) (\(b.help)) is not in the README keys table")
            }
        }
        #expect(documented.contains("L"), "the layers view's key")
    }
}
