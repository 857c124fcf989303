import Foundation
import NN

// libFuzzer entry: the IDX reader on arbitrary bytes. The first byte picks images or labels (bit 0)
// and the way in (bit 1): from memory, or through the file path users give (gzip inflation and the
// bounded chunked read). Both run with the real size cap, so a reader that allocated what a header
// claims instead of what is there trips libFuzzer's malloc limit. A DatasetError is the reader
// doing its job; a trap or a huge allocation is a bug.
private let scratch = "/dev/shm/dlboard-fuzz-idx-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func idxFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let magic = data[0] & 1 == 0 ? IDXFile.imagesMagic : IDXFile.labelsMagic
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] & 2 == 0 {
        _ = try? IDXFile(bytes: body, magic: magic, name: "fuzz")
    } else {
        guard FileManager.default.createFile(atPath: scratch, contents: Data(body)) else { return 0 }
        _ = try? IDXFile(path: scratch, magic: magic)
    }
    return 0
}
