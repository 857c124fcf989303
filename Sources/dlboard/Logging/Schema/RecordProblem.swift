/// Why a line that is valid JSON was not taken as a record (thrown while it decodes; any other
/// decoding error makes it an unreadable line).
enum RecordProblem: Error, Equatable {
    /// A number outside what the format allows: which record, and the field and value, as the
    /// reader's warning names them (`"step" is -1, outside 0…1000000000000`).
    case outOfRange(RecordType, String)
    /// A value this dlboard does not know, such as a later version's event kind: the line is left
    /// out as one of an unknown record type is, not counted as damaged.
    case unknownValue(String)
}
