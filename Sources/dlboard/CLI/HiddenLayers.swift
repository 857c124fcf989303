import ArgumentParser
import NN

/// `--hidden 100,100,100,100`: the hidden layer widths; `WxN` (or `W×N`) stands for N layers of
/// width W, so `100x4` is the same network and `100x2,50` is 100,100,50. Zero or negative widths
/// parse (so that validation can name them) but are rejected by `NetworkConfig.validate()`; a
/// count must be in 1…`maximumRepeat`.
struct HiddenLayers: ExpressibleByArgument, Sendable {
    /// The most layers one `WxN` may stand for: far deeper than anything trainable, and small
    /// enough that a typo such as `100x1000000000` is refused instead of allocating.
    static let maximumRepeat = 1000

    let sizes: [Int]
    init(_ sizes: [Int]) { self.sizes = sizes }
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        var sizes: [Int] = []
        for p in parts {
            let term = p.trimmingCharacters(in: .whitespaces).lowercased()
            let factors = term.split(separator: "x", omittingEmptySubsequences: false).flatMap {
                $0.split(separator: "×", omittingEmptySubsequences: false)
            }
            guard (1...2).contains(factors.count), let v = Int(factors[0]) else { return nil }
            var count = 1
            if factors.count == 2 {
                guard let n = Int(factors[1]), (1...Self.maximumRepeat).contains(n) else { return nil }
                count = n
            }
            sizes += Array(repeating: v, count: count)
        }
        guard !sizes.isEmpty else { return nil }
        self.sizes = sizes
    }
    var defaultValueDescription: String { sizes.map(String.init).joined(separator: ",") }
}
