import Foundation

// libFuzzer entry: the run-record reader on arbitrary bytes, and what reads its result without a
// screen — the CSV table and the TensorBoard event files, built in memory. Any trap (overflow, bad
// index, a failed allocation) is a crash the fuzzer reports; a ReadError is the reader doing its job.
@_cdecl("LLVMFuzzerTestOneInput")
public func recordsFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let record = try? RunRecordReader.parse(Data(bytes: data, count: size), path: "fuzz.jsonl") else { return 0 }
    let exporter = RecordExporter(record: record)
    _ = exporter.csv()
    _ = exporter.tensorBoardRuns(in: "/nonexistent").count
    for w in record.warnings { _ = RecordText.printable(w) }
    return 0
}
