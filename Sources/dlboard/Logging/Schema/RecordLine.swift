/// One line of a run record: a record type of the schema. Each conforming type has explicit
/// `CodingKeys` (the record's field names), writes `type` first (`RecordEncoder.linePrefix`), and
/// range-checks its numbers while it decodes (`RangeCheck`), so a record that decodes is one that
/// replay and export can do arithmetic on.
protocol RecordLine: Codable, Sendable {
    /// The line's `type` field.
    static var type: RecordType { get }
}
