/// A value written in records exactly as the command line spells it (`"leaky-relu:0.1"`,
/// `"exp:0.95"`), so a record reads like the command that made it. Conforming gives the Codable
/// that reads and writes that spelling; an unknown one is a decoding error naming what it is.
public protocol ArgumentSpelled: Codable {
    init?(argument: String)
    var argument: String { get }
    /// What an unknown spelling is called in the error: "activation", "initializer".
    static var spelledKind: String { get }
}

extension ArgumentSpelled {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = Self(argument: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown \(Self.spelledKind) '\(text)'"))
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(argument)
    }
}
