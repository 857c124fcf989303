import Foundation

// libFuzzer entry: the run-record reader on arbitrary bytes. Any trap (overflow, bad index, a
// failed allocation) is a crash the fuzzer reports; a ReadError is the reader doing its job.
@_cdecl("LLVMFuzzerTestOneInput")
public func recordsFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? RunRecordReader.parse(bytes, path: "fuzz.jsonl")
    return 0
}
