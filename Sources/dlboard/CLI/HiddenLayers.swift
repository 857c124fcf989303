import ArgumentParser
import NN

/// `--hidden 100,100,100,100`: the hidden layer widths. Zero or negative widths parse (so that
/// validation can name them) but are rejected by `NetworkConfig.validate()`.
struct HiddenLayers: ExpressibleByArgument, Sendable {
    let sizes: [Int]
    init(_ sizes: [Int]) { self.sizes = sizes }
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        var sizes: [Int] = []
        for p in parts {
            guard let v = Int(p.trimmingCharacters(in: .whitespaces)) else { return nil }
            sizes.append(v)
        }
        guard !sizes.isEmpty else { return nil }
        self.sizes = sizes
    }
    var defaultValueDescription: String { sizes.map(String.init).joined(separator: ",") }
}
