import Foundation
import NN

// libFuzzer entry: the IDX reader on arbitrary bytes, through the file path users give (so gzip
// inflation and the bounded read are exercised too). The first byte picks images or labels; the
// rest is the file. A DatasetError is the reader doing its job; a trap or a huge allocation is a bug.
private let scratch = "/dev/shm/dlboard-fuzz-idx-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func idxFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let magic = data[0] & 1 == 0 ? IDXFile.imagesMagic : IDXFile.labelsMagic
    let body = Data(bytes: data + 1, count: size - 1)
    guard FileManager.default.createFile(atPath: scratch, contents: body) else { return 0 }
    _ = try? IDXFile(path: scratch, magic: magic)
    return 0
}
