/// Why a search space cannot be used: one line naming the entry and what is wrong with it.
public struct SearchSpaceError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
