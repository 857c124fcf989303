import ArgumentParser
import Foundation

/// `dlboard export FILE --csv OUT.csv --layers-csv LAYERS.csv --tensorboard DIR`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export a run record as CSV (a row per step, evaluation and event; per-layer statistics in their own table) or TensorBoard event files.",
        discussion:
            "Example: dlboard export runs/20261123-212537-train/metrics.jsonl --csv train.csv --tensorboard tb; then tensorboard --logdir tb"
    )

    @Argument(help: "A run record (metrics.jsonl from --save or --metrics-out).")
    var file: String

    @Option(help: "Write a CSV table here.")
    var csv: String?

    @Option(
        name: .customLong("layers-csv"),
        help: "Write the per-layer statistics here as CSV (a row per layer and sampled step).")
    var layersCSV: String?

    @Option(help: "Write TensorBoard event files into this folder (one sub-folder per run).")
    var tensorboard: String?

    func validate() throws {
        if csv == nil && layersCSV == nil && tensorboard == nil {
            throw ValidationError("export: say where to: --csv OUT.csv, --layers-csv OUT.csv and/or --tensorboard DIR")
        }
        if let csv, csv == layersCSV {
            throw ValidationError("--csv and --layers-csv: give two different files, got '\(csv)' for both")
        }
    }

    func run() throws {
        let record: RunRecord
        do { record = try RunRecordReader.read(path: file) } catch {
            throw ValidationError(RecordText.printable(error.description))
        }
        for w in record.warnings { RecordText.warn(w) }
        let exporter = RecordExporter(record: record)
        // Taken before anything is written: no output may replace the record itself.
        let input = ExportFileWriter.FileID(path: file)
        for (flag, path, table) in [("--csv", csv, exporter.csv), ("--layers-csv", layersCSV, exporter.layersCSV)] {
            guard let path else { continue }
            let text = table()
            do { try ExportFileWriter(flag: flag, input: input).write(Data(text.utf8), to: path) } catch {
                throw ValidationError(RecordText.printable(error.description))
            }
            RecordText.say("wrote \(path): \(text.split(separator: "\n").count - 1) rows")
        }
        if let tensorboard {
            let paths: [String]
            do { paths = try exporter.writeTensorBoard(to: tensorboard, input: input) } catch {
                throw ValidationError(RecordText.printable(error.description))
            }
            for p in paths { RecordText.say("wrote \(p)") }
            RecordText.say("view with: tensorboard --logdir \(tensorboard)")
        }
    }
}
