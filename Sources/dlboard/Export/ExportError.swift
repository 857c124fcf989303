/// An export that cannot be written; the message names the flag and the path.
struct ExportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
