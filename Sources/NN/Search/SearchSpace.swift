/// The knobs a search varies and how each is drawn: `lr=log:-4,0 beta=one-minus-log:-3,-1
/// layers=int:2,4 units=int:50,100 optimizer=choice:sgd,adam`. The default is the book's E9:
/// lr = 10^U(−6, −2), weight decay = 10^U(−8, −4).
public struct SearchSpace: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var knob: SearchKnob
        public var dimension: SearchDimension
        public init(_ knob: SearchKnob, _ dimension: SearchDimension) {
            self.knob = knob
            self.dimension = dimension
        }
    }

    /// In the order given; each knob at most once.
    public private(set) var axes: [Axis]

    public init(_ axes: [Axis]) throws(SearchError) {
        var seen = Set<SearchKnob>()
        for a in axes {
            try a.knob.check(a.dimension)
            guard seen.insert(a.knob).inserted else {
                throw SearchError("'\(a.knob.rawValue)' is given twice")
            }
        }
        guard !axes.isEmpty else { throw SearchError("a search space needs at least one knob") }
        self.axes = axes
    }

    /// The book's E9 space.
    public static let book = try! SearchSpace([
        Axis(.learningRate, .logUniform(low: -6, high: -2)), Axis(.weightDecay, .logUniform(low: -8, high: -4)),
    ])

    /// Parses `knob=scale:bounds` entries (each one word), as given on the command line or one per
    /// line of a spec file; `#` starts a comment there.
    public init(parsing entries: [String]) throws(SearchError) {
        var axes: [Axis] = []
        for entry in entries {
            guard let eq = entry.firstIndex(of: "=") else {
                throw SearchError("'\(entry)' is not knob=scale:bounds (e.g. lr=log:-4,0)")
            }
            let name = String(entry[..<eq])
            guard let knob = SearchKnob(name: name) else {
                throw SearchError(
                    "'\(entry)': unknown knob '\(name)' (\(SearchKnob.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            axes.append(Axis(knob, try SearchDimension(spec: String(entry[entry.index(after: eq)...]), entry: entry)))
        }
        try self.init(axes)
    }

    /// The entries of a spec file's text: words outside `#` comments. An entry's error names its
    /// line (1 is the first).
    public init(specText: String) throws(SearchError) {
        var words: [String] = []
        for (i, line) in specText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let entries = line.prefix { $0 != "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                .map(String.init)
            for entry in entries {
                do { _ = try SearchSpace(parsing: [entry]) } catch { throw SearchError("line \(i + 1): \(error)") }
            }
            words += entries
        }
        try self.init(parsing: words)
    }

    public func dimension(of knob: SearchKnob) -> SearchDimension? { axes.first { $0.knob == knob }?.dimension }

    /// One trial's values, a draw per knob in the order of `axes`.
    public func sample(using g: inout some RandomNumberGenerator) -> [SearchKnob: SearchValue] {
        var point: [SearchKnob: SearchValue] = [:]
        for a in axes { point[a.knob] = a.dimension.sample(using: &g) }
        return point
    }

    /// The entries `init(parsing:)` reads back.
    public var specs: [String] { axes.map { "\($0.knob.rawValue)=\($0.dimension.spec)" } }

    /// `base` with a trial's values put in. The values come from this space, so they are in range;
    /// the result is still validated by whoever trains it.
    public static func apply(_ point: [SearchKnob: SearchValue], to base: TrainingConfig) -> TrainingConfig {
        var c = base
        func number(_ k: SearchKnob) -> Double? {
            point[k]?.number
                ?? point[k].flatMap { v in
                    if case .choice(let s) = v { Double(s) } else { nil }
                }
        }
        if case .choice(let o)? = point[.optimizer], let kind = OptimizerKind(rawValue: o.lowercased()) {
            c.optimizer = kind
        }
        if case .choice(let a)? = point[.activation], let act = Activation(argument: a) {
            c.network.activation = act
        }
        if let lr = number(.learningRate) { c.learningRate = Float(lr) }
        if let wd = number(.weightDecay) { c.network.weightDecay = Float(wd) }
        if let d = number(.dropout) { c.network.dropout = Float(d) }
        if let b = number(.batchSize) { c.batchSize = Int(b) }
        if let beta = number(.beta) {
            var p = c.optimizerParameters
            switch c.optimizer {
            case .momentum, .nesterov: p.momentum = Float(beta)
            case .adam: p.beta1 = Float(beta)
            case .rmsprop: p.rho = Float(beta)
            case .sgd, .adagrad: break
            }
            c.optimizerParameters = p
        }
        let depth = number(.layers).map { Int($0) } ?? c.network.hidden.count
        let width = number(.units).map { Int($0) } ?? c.network.hidden.first ?? 100
        if point[.layers] != nil || point[.units] != nil {
            c.network.hidden = Array(repeating: width, count: depth)
        }
        return c
    }
}
