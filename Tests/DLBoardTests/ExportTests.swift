import Foundation
import NN
import Testing

@testable import dlboard

/// The export formats, byte by byte where a reader depends on them: CRC-32C, TFRecord framing,
/// the Event protocol buffer, TensorBoard histogram buckets, and the CSV table.
@Suite struct ExportTests {
    @Test func crc32cMatchesTheCastagnoliCheckValue() {
        // The standard check value of CRC-32C (RFC 3720, appendix B.4 uses the same polynomial).
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA, "RFC 3720 B.4: 32 bytes of zeros")
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43, "RFC 3720 B.4: 32 bytes of ones")
        // TFRecord's mask: rotate right 15, add 0xa282ead8.
        let crc: UInt32 = 0xE306_9283
        #expect(CRC32C.masked(crc) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
        #expect(CRC32C.masked(0) == 0xA282_EAD8)
    }

    @Test func aTFRecordIsLengthCRCDataCRC() {
        let payload: [UInt8] = [1, 2, 3]
        let framed = TensorBoardWriter.frame(payload)
        #expect(framed.count == 8 + 4 + 3 + 4)
        #expect(Array(framed[0..<8]) == [3, 0, 0, 0, 0, 0, 0, 0], "little-endian uint64 length")
        func u32(_ b: ArraySlice<UInt8>) -> UInt32 { b.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(u32(framed[8..<12]) == CRC32C.masked(CRC32C.checksum(framed[0..<8])))
        #expect(Array(framed[12..<15]) == payload)
        #expect(u32(framed[15..<19]) == CRC32C.masked(CRC32C.checksum(payload)))
    }

    @Test func aScalarEventEncodesAsTheProtobufTensorBoardReads() {
        var value = Protobuf()
        value.string(1, "loss")
        value.float(2, 0.5)
        // tag 1 (len) "loss", tag 2 (fixed32) 0.5f = 0x3F000000 little-endian
        #expect(value.bytes == [0x0A, 4, 0x6C, 0x6F, 0x73, 0x73, 0x15, 0x00, 0x00, 0x00, 0x3F])
        var event = Protobuf()
        event.double(1, 1.0)
        event.int64(2, 300)
        // wall_time: tag 1 fixed64, 1.0 = 0x3FF0000000000000; step: tag 2 varint 300 = AC 02
        #expect(event.bytes == [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 0xAC, 0x02])
        var packed = Protobuf()
        packed.packedDoubles(6, [2.0])
        #expect(packed.bytes == [0x32, 8, 0, 0, 0, 0, 0, 0, 0, 0x40])
        var negative = Protobuf()
        negative.int64(2, -1)
        #expect(negative.bytes == [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01], "int64 −1 is a 10-byte varint")
    }

    @Test func histogramBucketsKeepEveryValue() {
        // ReLU outputs: 2 zeros (left out of the dashboard's bins), 0.25 and 0.75 in [0, 1] with
        // 2 bins, 3.0 above the range.
        let values: [Float] = [0, 0, 0.25, 0.75, 3.0]
        let s = values.withUnsafeBufferPointer {
            ActivationStatistics(
                layer: "ReLU1", activation: .relu, values: $0, bins: 2, range: 0...1, excludesZeros: true)
        }
        let h = TensorBoardWriter.buckets(s)
        #expect(h.limits == [0, 0.5, 1, Double.greatestFiniteMagnitude])
        #expect(h.counts == [2, 1, 1, 1])
        #expect(h.count == 5 && h.min == 0 && h.max == 3)
        #expect(abs(h.sum - 4.0) < 1e-5, "sum of the values")
        #expect(abs(h.sumOfSquares - (0.0625 + 0.5625 + 9)) < 1e-4)
    }

    @Test func csvHasARowPerStepEvaluationAndEvent() throws {
        let path = ReplayTests.temporaryPath("csv.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ReplayTests.recordSession(to: path)
        let record = try RunRecordReader.read(path: path)
        let rows = RecordExporter(record: record).csv().split(separator: "\n").map(String.init)
        #expect(rows[0] == RecordExporter.csvHeader)
        let columns = RecordExporter.csvHeader.split(separator: ",").count
        let body = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(body.allSatisfy { $0.count == columns }, "every row has every column")
        let steps = body.filter { $0[2] == "step" }
        #expect(steps.count == 30 + 30 + 17, "30 steps of each first run, 17 of the fork")
        #expect(body.filter { $0[2] == "eval" }.count == 3 + 3 + 2, "epochs 1–3 of each first run, 2–3 of the fork")
        let lrSwitch = try #require(body.first { $0[2] == "event" && $0[10] == "lr 0.05" })
        #expect(lrSwitch[0] == "1" && lrSwitch[3] == "7")
        // Each evaluation's learning rate, as its step took it: Adam's run under exp:0.5 from step 7.
        let rates = body.filter { $0[0] == "2" && $0[2] == "eval" }.map { Float(String($0[11])) }
        #expect(rates == record.runs[1].evaluations.map(\.evaluation.learningRate) && rates.allSatisfy { $0 != nil })
        // Values as recorded, to the last digit.
        let first = try #require(steps.first)
        #expect(Double(String(first[6])) == record.runs[0].steps[0].loss)
    }

    @Test func tensorBoardFilesHoldEveryRecord() throws {
        let path = ReplayTests.temporaryPath("tb.jsonl")
        let dir = ReplayTests.temporaryPath("tb")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: dir)
        }
        _ = try ReplayTests.recordSession(to: path)
        let record = try RunRecordReader.read(path: path)
        let files = try RecordExporter(record: record).writeTensorBoard(to: dir)
        #expect(files.count == 3)
        #expect(files[0].hasPrefix(dir + "/run1-sgd/events.out.tfevents."))
        // Walk the TFRecords: every frame's CRCs check out; count the events.
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: files[0])))
        var offset = 0
        var events = 0
        func u32(_ at: Int) -> UInt32 { bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        while offset < bytes.count {
            let length = Int(bytes[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            #expect(u32(offset + 8) == CRC32C.masked(CRC32C.checksum(bytes[offset..<offset + 8])))
            #expect(
                u32(offset + 12 + length) == CRC32C.masked(CRC32C.checksum(bytes[offset + 12..<offset + 12 + length])))
            offset += 16 + length
            events += 1
        }
        #expect(offset == bytes.count)
        let run = record.runs[0]
        #expect(!run.layers.isEmpty && run.layers.allSatisfy { $0.statistics.updateToData.isFinite })
        // file_version + a loss per step + per evaluation (mean loss, train, test, lr) + histograms
        // + per layer record two ratios and two histograms (backward signal, weights)
        #expect(events == 1 + run.steps.count + run.evaluations.count * 4 + run.histograms.count + run.layers.count * 4)
        let tags = Self.tags(in: bytes)
        for name in ["Affine1", "Affine2", "Affine3"] {
            let samples = run.layers.filter { $0.statistics.layer == name }.count
            #expect(samples == run.layerSamples.count)
            for tag in ["layers/update_ratio/", "layers/grad_ratio/", "gradients/", "weights/"] {
                #expect(tags[tag + name] == samples, "\(tag)\(name)")
            }
        }
    }

    /// How many values each tag has in an event file (the Summary.Value tags, read from the bytes).
    static func tags(in bytes: [UInt8]) -> [String: Int] {
        var counts: [String: Int] = [:]
        var offset = 0
        while offset < bytes.count {
            let length = Int(bytes[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            let event = Array(bytes[offset + 12..<offset + 12 + length])
            offset += 16 + length
            // Event.summary (field 5) → Summary.value (field 1) → Value.tag (field 1).
            guard let summary = field(5, in: event), let value = field(1, in: summary), let tag = field(1, in: value)
            else { continue }
            counts[String(decoding: tag, as: UTF8.self), default: 0] += 1
        }
        return counts
    }

    /// The first length-delimited field `number` of a protocol buffer message.
    static func field(_ number: Int, in message: [UInt8]) -> [UInt8]? {
        var i = 0
        func varint() -> Int {
            var v = 0
            var shift = 0
            while i < message.count {
                let b = message[i]
                i += 1
                v |= Int(b & 0x7F) << shift
                shift += 7
                if b < 0x80 { break }
            }
            return v
        }
        while i < message.count {
            let key = varint()
            switch key & 7 {
            case 0: _ = varint()
            case 1: i += 8
            case 5: i += 4
            case 2:
                let n = varint()
                if key >> 3 == number { return Array(message[i..<min(message.count, i + n)]) }
                i += n
            default: return nil
            }
        }
        return nil
    }

    @Test func aLayerHistogramBecomesBucketsThatKeepEveryBinnedValue() {
        let h = Histogram(bins: [1, 0, 3, 4], range: Float(-2)...Float(2), nonFinite: 5)
        let b = TensorBoardWriter.buckets(h, norm: 3)
        #expect(b.limits == [-1, 0, 1, 2] && b.counts == [1, 0, 3, 4])
        #expect(b.count == 8 && b.min == -2 && b.max == 2, "the non-finite values are not binned")
        #expect(b.sum == -1.5 + 3 * 0.5 + 4 * 1.5, "at the bins' centres")
        #expect(b.sumOfSquares == 9, "the norm's square")
    }

    /// Names come from records, which are untrusted: no control character reaches the CSV (a
    /// terminal showing it would obey an ESC sequence), and commas and quotes are quoted.
    @Test func csvFieldsCarryNoControlCharacters() {
        #expect(RecordExporter.field("Affine1\u{1B}[2J\u{07}") == "Affine1\u{FFFD}[2J\u{FFFD}")
        #expect(RecordExporter.field("a\nb,c") == "\"a\u{FFFD}b,c\"")
        #expect(RecordExporter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(RecordExporter.field("plain") == "plain")
    }

    @Test func theLayersCSVHasARowPerLayerRecord() throws {
        let path = ReplayTests.temporaryPath("layers-csv.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ReplayTests.recordSession(to: path)
        var record = try RunRecordReader.read(path: path)
        // A W without spread (an all-zero layer) has infinite ratios: "inf" in the table.
        record.runs[0].layers[0].statistics.weight.standardDeviation = 0
        let rows = RecordExporter(record: record).layersCSV().split(separator: "\n").map(String.init)
        let header = RecordExporter.layersCSVHeader.split(separator: ",").map(String.init)
        #expect(rows[0] == RecordExporter.layersCSVHeader)
        let body = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(body.count == record.runs.map(\.layers.count).reduce(0, +))
        #expect(body.allSatisfy { $0.count == header.count }, "every row has every column")
        func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
        let first = body[0]
        let layer = record.runs[0].layers[0]
        #expect(column("run", first) == "1" && column("title", first) == "SGD")
        #expect(column("step", first) == "\(layer.step)" && column("layer_name", first) == "Affine1")
        #expect(column("grad_ratio", first) == "inf" && column("update_ratio", first) == "inf")
        #expect(column("verdict", first) == layer.verdict)
        // Values as recorded, to the last digit; a linear output layer has no dead share.
        let second = body[1]
        let l2 = record.runs[0].layers[1].statistics
        #expect(Float(column("update_ratio", second)) == l2.updateToData)
        #expect(Float(column("signal_std", second)) == l2.backwardSignal.standardDeviation)
        #expect(column("dead_frac", second) != "" && column("dead_frac", body[2]) == "")
        #expect(column("units", body[2]) == "4" && column("bn_batch_mean", second) == "")
    }
}
