/// A log file that cannot be used; the message names the flag and the path.
struct LogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
