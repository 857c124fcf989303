/// Where Dropout puts its scaling. Both forms have the same expectation for a unit's output.
///
/// - `book` (the book's `Dropout`): train multiplies by the keep mask and leaves the kept units as
///   they are; test multiplies every unit by 1 − ratio.
/// - `inverted` (deeplearning.ai's Course 2, PyTorch, tinygrad): train multiplies the kept units by
///   1 / (1 − ratio); test is the identity, so a trained network is used without any Dropout code.
///
/// Written as its command-line spelling.
public enum DropoutStyle: String, Sendable, CaseIterable, Codable {
    case book
    case inverted

    public var displayName: String { rawValue }
}
