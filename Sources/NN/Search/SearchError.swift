/// Why a search space or scheduler setting cannot be used: one line naming the entry and the problem.
public struct SearchError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
