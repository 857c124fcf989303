import Foundation
import NN

/// Writes a TensorBoard event file: TFRecord framing (length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record) around `Event` protocol buffers
/// (tensorflow/core/util/event.proto: wall_time = 1, step = 2, file_version = 3, summary = 5;
/// Summary.value = 1; Value.tag = 1, simple_value = 2, histo = 5; HistogramProto min = 1, max = 2,
/// num = 3, sum = 4, sum_squares = 5, bucket_limit = 6, bucket = 7).
final class TensorBoardWriter {
    let path: String
    private var data = Data()

    let directory: String

    /// A new event file in `directory`, named the way TensorBoard looks for. Nothing touches the
    /// disk before `close()`, so an export can be built (and fuzzed) in memory.
    init(directory: String, wallTime: Double) {
        self.directory = directory
        path = "\(directory)/events.out.tfevents.\(Int(wallTime)).dlboard"
        var event = Protobuf()
        event.double(1, wallTime)
        event.string(3, "brain.Event:2")
        append(event)
    }

    /// One scalar (TensorBoard's `simple_value`, a float32).
    func scalar(tag: String, value: Double, step: Int, wallTime: Double) {
        var value1 = Protobuf()
        value1.string(1, tag)
        value1.float(2, Float(value))
        summary(value1, step: step, wallTime: wallTime)
    }

    /// One histogram, given as TensorBoard buckets: `limits[i]` is the right edge of bucket i.
    func histogram(tag: String, _ h: Histogram, step: Int, wallTime: Double) {
        var proto = Protobuf()
        proto.double(1, h.min)
        proto.double(2, h.max)
        proto.double(3, h.count)
        proto.double(4, h.sum)
        proto.double(5, h.sumOfSquares)
        proto.packedDoubles(6, h.limits)
        proto.packedDoubles(7, h.counts)
        var value = Protobuf()
        value.string(1, tag)
        value.message(5, proto)
        summary(value, step: step, wallTime: wallTime)
    }

    struct Histogram: Equatable {
        var min: Double, max: Double, count: Double, sum: Double, sumOfSquares: Double
        var limits: [Double]
        var counts: [Double]
    }

    /// The dashboard's histogram as TensorBoard buckets: what fell below the range (and, for ReLU,
    /// the exact zeros the dashboard shows as a percentage) in a bucket ending at the range's low
    /// end, the bins, and what fell above in a last bucket up to the largest double.
    static func buckets(_ s: ActivationStatistics) -> Histogram {
        let lo = Double(s.range.lowerBound)
        let hi = Double(s.range.upperBound)
        let width = (hi - lo) / Double(max(1, s.bins.count))
        let zeros = s.excludesZeros ? Int((Double(s.zeroFraction) * Double(s.count)).rounded()) : 0
        var limits: [Double] = []
        var counts: [Double] = []
        if s.underflow + zeros > 0 {
            limits.append(lo)
            counts.append(Double(s.underflow + zeros))
        }
        for (i, c) in s.bins.enumerated() {
            limits.append(i == s.bins.count - 1 ? hi : lo + Double(i + 1) * width)
            counts.append(Double(c))
        }
        if s.overflow > 0 {
            limits.append(Double.greatestFiniteMagnitude)
            counts.append(Double(s.overflow))
        }
        let n = Double(s.count)
        let mean = Double(s.mean)
        let sd = Double(s.standardDeviation)
        return Histogram(
            min: Double(s.minimum), max: Double(s.maximum), count: n, sum: mean * n,
            sumOfSquares: (sd * sd + mean * mean) * n, limits: limits, counts: counts)
    }

    /// A backward signal's or a weight matrix's histogram (signed values over −m…m) as TensorBoard
    /// buckets: the bins, the last one ending at m. The values themselves are not in the record, so
    /// `min`/`max` are the range's ends and `sum` is taken at the bins' centres; `sum_squares` is
    /// exact (the norm's square). Values that were not finite were not binned and are left out.
    static func buckets(_ h: NN.Histogram, norm: Float) -> Histogram {
        let lo = Double(h.range.lowerBound)
        let hi = Double(h.range.upperBound)
        let width = (hi - lo) / Double(max(1, h.bins.count))
        var limits: [Double] = []
        var counts: [Double] = []
        var sum = 0.0
        for (i, c) in h.bins.enumerated() {
            limits.append(i == h.bins.count - 1 ? hi : lo + Double(i + 1) * width)
            counts.append(Double(c))
            sum += Double(c) * (lo + (Double(i) + 0.5) * width)
        }
        let n = counts.reduce(0, +)
        let squares = Double(norm) * Double(norm)
        return Histogram(
            min: lo, max: hi, count: n, sum: sum, sumOfSquares: squares.isFinite ? squares : 0, limits: limits,
            counts: counts)
    }

    private func summary(_ value: Protobuf, step: Int, wallTime: Double) {
        var summary = Protobuf()
        summary.message(1, value)
        var event = Protobuf()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        event.message(5, summary)
        append(event)
    }

    private func append(_ message: Protobuf) {
        data.append(contentsOf: Self.frame(message.bytes))
    }

    /// One TFRecord.
    static func frame(_ record: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var length = UInt64(record.count).littleEndian
        let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
        out += lengthBytes
        var lengthCRC = CRC32C.masked(CRC32C.checksum(lengthBytes)).littleEndian
        out += withUnsafeBytes(of: &lengthCRC) { Array($0) }
        out += record
        var dataCRC = CRC32C.masked(CRC32C.checksum(record)).littleEndian
        out += withUnsafeBytes(of: &dataCRC) { Array($0) }
        return out
    }

    /// Creates the folder if needed and writes the file (atomically, never over the record being
    /// exported: `ExportFileWriter`).
    func close(input: ExportFileWriter.FileID? = nil) throws(ExportError) {
        if let problem = Folders.create(directory) {
            throw ExportError("--tensorboard: cannot create '\(directory)': \(problem)")
        }
        try ExportFileWriter(flag: "--tensorboard", input: input).write(data, to: path)
    }
}
