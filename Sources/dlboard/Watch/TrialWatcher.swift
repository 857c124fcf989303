import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Follows folder trees of growing records as trials: every `*.jsonl` whose first line is a dlboard
/// `config` record (one trial per run of it) and every Ray Tune `result.json` (one trial, named by
/// its folder). `poll` stats each known file and reads only what grew (`LineFollower`); every
/// `scanInterval` it walks the trees again for new files.
///
/// A bounded poll rather than inotify: the folders a search writes into are often on a cluster's
/// network file system (NFS, Lustre), where inotify never hears of other machines' writes, and a
/// stat of 64 files ten times a second costs far less than the budget (`scripts/watch_latency.py`
/// measures it).
///
/// Every file is untrusted: lines that are not records (or numbers out of range) are skipped and
/// counted in `skippedLines`, a partial last line waits for its newline, a file that shrinks or is
/// replaced is read again from its start.
struct TrialWatcher {
    struct WatchError: Error, CustomStringConvertible {
        let description: String
    }

    private struct Followed {
        enum Kind {
            /// A `.jsonl` whose first line has not arrived yet.
            case pending
            case record
            case ray
        }
        var follower: LineFollower
        var kind: Kind
        var trials: [WatchTrial] = []
        /// A record's run id → its trial's position in `trials`.
        var runs: [Int: Int] = [:]
    }

    /// The folder trees (or single files) watched.
    let roots: [String]
    /// Seconds between two walks of the trees.
    var scanInterval = 1.0
    /// Lines skipped as unreadable: not a record or a Ray result, or a number out of range.
    private(set) var skippedLines = 0
    /// Files watched (records, Ray results, and `.jsonl` files whose first line is still to come).
    var fileCount: Int { order.count }

    private var files: [String: Followed] = [:]
    private var order: [String] = []
    /// `.jsonl` files that are no dlboard record: never read again.
    private var ignored: Set<String> = []
    private var lastScan = -Double.infinity
    private let decoder = JSONDecoder()

    /// How deep below a root the walk looks (Ray's trials are 2 levels down, a search's folders a
    /// few more), and how many files it follows at most.
    static let maxDepth = 8
    static let maxFiles = 10_000
    static let rayResultName = "result.json"

    /// Checks every root: a folder or a file that can be read; otherwise one line naming it.
    init(roots: [String]) throws(WatchError) {
        for r in roots {
            var info = stat()
            guard stat(r, &info) == 0 else {
                let reason = errno == ENOENT ? "no such folder" : String(cString: strerror(errno))
                throw WatchError(description: "watch: '\(r)': \(reason)")
            }
            let type = info.st_mode & S_IFMT
            guard type == S_IFDIR || type == S_IFREG else {
                throw WatchError(description: "watch: '\(r)': not a folder or a file")
            }
            guard access(r, R_OK | (type == S_IFDIR ? X_OK : 0)) == 0 else {
                throw WatchError(description: "watch: '\(r)': cannot be read")
            }
        }
        self.roots = roots
    }

    /// The trials, in the order their files were found (a record's runs in its order). A Ray trial
    /// whose folder also holds a dlboard record (the driver writes one beside Ray's results) is
    /// left out: the record says the same and more (its summary).
    var trials: [WatchTrial] {
        let recordFolders = Set(order.filter { files[$0]?.kind == .record }.map(Self.folder))
        return order.flatMap { path -> [WatchTrial] in
            guard let f = files[path] else { return [] }
            if f.kind == .ray && recordFolders.contains(Self.folder(path)) { return [] }
            return f.trials
        }
    }

    /// Stats every known file and reads what grew; walks the trees when `scanInterval` has passed
    /// since the last walk. Returns whether any trial changed.
    @discardableResult
    mutating func poll(now: Double) -> Bool {
        var changed = false
        if now - lastScan >= scanInterval {
            lastScan = now
            scan()
        }
        for path in order {
            guard var f = files[path], let change = f.follower.poll() else { continue }
            switch change {
            case .appended(let lines):
                changed = read(lines, into: &f) || changed
            case .restarted(let lines):
                f.trials = []
                f.runs = [:]
                if f.kind == .record { f.kind = .pending }
                changed = true
                _ = read(lines, into: &f)
            }
            if !ignored.contains(path) { files[path] = f }
        }
        // A `.jsonl` that turned out not to be a record.
        if files.count < order.count { order.removeAll { files[$0] == nil } }
        return changed
    }

    /// Reads lines into the file's trials; returns whether they changed.
    private mutating func read(_ lines: [Data], into f: inout Followed) -> Bool {
        var changed = false
        for line in lines {
            switch f.kind {
            case .pending:
                guard case .config? = try? decoder.decode(DecodedRecord.self, from: line) else {
                    ignored.insert(f.follower.path)
                    files[f.follower.path] = nil
                    return changed
                }
                f.kind = .record
                changed = readRecord(line, into: &f) || changed
            case .record:
                changed = readRecord(line, into: &f) || changed
            case .ray:
                changed = readRay(line, into: &f) || changed
            }
        }
        return changed
    }

    /// The quoted record types of the lines a watch does not show (steps, histograms, layers) as
    /// they stand after `"type":`, to pass them over without decoding: a run logging every step
    /// writes hundreds of those a second.
    private static let passedOver: [[UInt8]] = [RecordType.step, .hist, .layer].map {
        Array(":\"\($0.rawValue)\"".utf8)
    }

    private mutating func readRecord(_ line: Data, into f: inout Followed) -> Bool {
        if line.count < 4096, Self.passedOver.contains(where: { line.range(of: Data($0)) != nil }) { return false }
        let decoded: DecodedRecord
        do { decoded = try decoder.decode(DecodedRecord.self, from: line) } catch {
            skippedLines += 1
            return false
        }
        if case .config(let header) = decoded {
            var t = WatchTrial(name: Self.trialName(f.follower.path), path: f.follower.path, source: .record)
            t.run = decoded.run
            t.learningRate = Double(header.config.effectiveLearningRate)
            t.weightDecay = Double(header.config.network.weightDecay)
            f.runs[decoded.run] = f.trials.count
            f.trials.append(t)
            if f.trials.count > 1 { Self.nameRuns(&f.trials) }
            return true
        }
        guard let i = f.runs[decoded.run] else { return false }
        switch decoded {
        case .eval(let e):
            let ev = e.evaluation
            let epoch = ev.epoch > 0 ? ev.epoch : f.trials[i].progress + 1
            let x = Double(epoch)
            let keys = EvalRecord.CodingKeys.self
            if let l = ev.meanLoss { f.trials[i].add(keys.loss.stringValue, x: x, y: l) }
            f.trials[i].add(keys.trainAccuracy.stringValue, x: x, y: ev.trainAccuracy)
            if let v = ev.testAccuracy { f.trials[i].add(keys.testAccuracy.stringValue, x: x, y: v) }
            if let v = ev.validationAccuracy { f.trials[i].add(keys.validationAccuracy.stringValue, x: x, y: v) }
            f.trials[i].progress = max(f.trials[i].progress, epoch)
        case .event(let e):
            // The rate and decay it trains at now (a user's switch, an explore of population-based
            // training), for the scatter.
            guard let to = e.event.to.flatMap(Double.init), to.isFinite, to >= 0 else { return false }
            switch e.event.kind {
            case .learningRate where to > 0: f.trials[i].learningRate = to
            case .weightDecay: f.trials[i].weightDecay = to
            default: return false
            }
        case .summary(let s):
            f.trials[i].state = s.stopped.map(WatchTrial.State.stopped) ?? .finished
            if let epochs = s.epochs { f.trials[i].progress = max(f.trials[i].progress, epochs) }
        default:
            return false
        }
        return true
    }

    private mutating func readRay(_ line: Data, into f: inout Followed) -> Bool {
        let result: RayResult
        do { result = try RayResult(line: line) } catch {
            skippedLines += 1
            return false
        }
        if f.trials.isEmpty {
            f.trials = [WatchTrial(name: Self.trialName(f.follower.path), path: f.follower.path, source: .ray)]
        }
        var t = f.trials[0]
        if let id = result.trialID { t.trialID = id }
        if let lr = result.learningRate { t.learningRate = lr }
        if let wd = result.weightDecay { t.weightDecay = wd }
        let x = Double(result.iteration)
        for (name, value) in result.metrics { t.add(name, x: x, y: value) }
        t.progress = result.iteration
        if result.nonFinite.contains(EvalRecord.CodingKeys.loss.stringValue) {
            t.state = .stopped(.diverged)
        } else if result.done {
            t.state = .finished
        }
        f.trials[0] = t
        return true
    }

    /// A trial's name: its folder's for a Ray result and for a record named as dlboard's drivers
    /// name them (`dlboard.jsonl`, `metrics.jsonl`), else the file's name without `.jsonl`.
    static func trialName(_ path: String) -> String {
        let file = (path as NSString).lastPathComponent
        if file == rayResultName || file == "dlboard.jsonl" || file == "metrics.jsonl" {
            let folder = (folder(path) as NSString).lastPathComponent
            return folder.isEmpty || folder == "." ? file : folder
        }
        return file.hasSuffix(".jsonl") ? String(file.dropLast(6)) : file
    }

    /// A record of several runs: each trial named by the file and its run.
    private static func nameRuns(_ trials: inout [WatchTrial]) {
        for i in trials.indices {
            trials[i].name = trialName(trials[i].path) + "#\(trials[i].run)"
        }
    }

    private static func folder(_ path: String) -> String { (path as NSString).deletingLastPathComponent }

    /// Walks the roots for record and result files not yet followed.
    private mutating func scan() {
        for root in roots {
            var info = stat()
            guard stat(root, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFREG {
                consider(root, force: true)
            } else {
                walk(root, depth: 0)
            }
        }
    }

    private mutating func walk(_ dir: String, depth: Int) {
        guard depth <= Self.maxDepth, let d = opendir(dir) else { return }
        defer { closedir(d) }
        var entries: [(String, UInt8)] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            entries.append((name, e.pointee.d_type))
        }
        for (name, type) in entries.sorted(by: { $0.0 < $1.0 }) {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var kind = type
            if kind == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                kind = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            // Symbolic links to folders are not followed (no cycles); to files they are.
            if kind == UInt8(DT_DIR) {
                walk(path, depth: depth + 1)
            } else if kind == UInt8(DT_REG) || kind == UInt8(DT_LNK) {
                consider(path, force: false)
            }
        }
    }

    private mutating func consider(_ path: String, force: Bool) {
        guard files[path] == nil, !ignored.contains(path), order.count < Self.maxFiles else { return }
        let name = (path as NSString).lastPathComponent
        let kind: Followed.Kind
        if name == Self.rayResultName {
            kind = .ray
        } else if name.hasSuffix(".jsonl") || force {
            kind = .pending
        } else {
            return
        }
        files[path] = Followed(follower: LineFollower(path: path), kind: kind)
        order.append(path)
    }
}
