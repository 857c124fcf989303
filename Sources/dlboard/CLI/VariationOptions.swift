import ArgumentParser
import NN

/// The one knob a comparison varies, given as a list: `--optimizers sgd,adam`, `--inits 0.01,he`,
/// `--batchnorm both`, `--dropout 0,0.2`, `--weight-decay 0,0.1`, `--lrs 0.1,0.01`, `--activations …`,
/// `--batches 1,10,100,1000`, `--losses ce,mse`, `--inputs-list unit,raw,standardize`,
/// `--augments none,shift:2+rotate:10`, `--lr-schedules constant,exp:0.9`, `--norms none,batch,layer`, the optimizer
/// parameters `--momenta`, `--beta1s`, `--beta2s`, `--rhos`, `--eps-list`, `--dropout-styles book,inverted`,
/// `--input-dropout 0,0.2`, `--hiddens 100x2,100x4,50x4`.
/// Everything else comes from `RunOptions` and is the same for every run.
struct VariationOptions: ParsableArguments {
    enum BatchNormChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case off, on, both
    }

    @Option(help: "Optimizers to compare, comma-separated (e.g. sgd,momentum,adagrad,adam).")
    var optimizers: CommaList<OptimizerKind>?

    @Option(parsing: .unconditional, help: "Initializers to compare (e.g. 0.01,xavier,he).")
    var inits: CommaList<InitializerArgument>?

    @Option(help: "Activations to compare (e.g. sigmoid,relu,leaky-relu:0.1,softplus,identity).")
    var activations: CommaList<Activation>?

    @Option(help: "Losses to compare (ce or cross-entropy, mse).")
    var losses: CommaList<Loss>?

    @Option(parsing: .unconditional, help: "Learning rates to compare (e.g. 0.1,0.01,0.001).")
    var lrs: CommaList<Float>?

    @Option(
        parsing: .unconditional,
        help: "Batch sizes to compare (e.g. 1,10,100,1000): the same sample order, consumed at different rates.")
    var batches: CommaList<Int>?

    @Option(name: .customLong("inputs-list"), help: "Input scalings to compare (e.g. unit,raw,standardize).")
    var inputsList: CommaList<InputScaling>?

    @Option(
        parsing: .unconditional,
        help: "Augmentations to compare, parts joined by + (e.g. none,shift:2,shift:2+rotate:10+noise:0.1).")
    var augments: CommaList<Augmentation>?

    @Option(
        name: .customLong("lr-schedules"),
        help: "Learning-rate schedules to compare (e.g. constant,inverse:1,exp:0.9,step:5:0.5).")
    var lrSchedules: CommaList<LearningRateSchedule>?

    @Option(parsing: .unconditional, help: "Momentum/Nesterov momenta to compare (e.g. 0.5,0.9,0.99).")
    var momenta: CommaList<Float>?

    @Option(parsing: .unconditional, help: "Adam β1 values to compare (e.g. 0,0.9).")
    var beta1s: CommaList<Float>?

    @Option(parsing: .unconditional, help: "Adam β2 values to compare (e.g. 0.99,0.999).")
    var beta2s: CommaList<Float>?

    @Option(parsing: .unconditional, help: "RMSprop ρ values to compare (e.g. 0.9,0.99,0.999).")
    var rhos: CommaList<Float>?

    @Option(
        name: .customLong("eps-list"), parsing: .unconditional,
        help: "ε values to compare for AdaGrad, RMSprop, Adam (e.g. 1e-7,1e-8,1e-3).")
    var epsList: CommaList<Float>?

    /// The optimizer-parameter lists, by flag, with where each value goes.
    private var parameterLists: [(flag: String, values: [Float], key: WritableKeyPath<OptimizerParameters, Float>)] {
        [
            ("--momenta", momenta?.values ?? [], \.momentum), ("--beta1s", beta1s?.values ?? [], \.beta1),
            ("--beta2s", beta2s?.values ?? [], \.beta2), ("--rhos", rhos?.values ?? [], \.rho),
            ("--eps-list", epsList?.values ?? [], \.epsilon),
        ]
    }

    @Option(
        name: .customLong("dropout-styles"),
        help: "Dropout forms to compare (book,inverted); give a --dropout ratio or --input-dropout for them to differ.")
    var dropoutStyles: CommaList<DropoutStyle>?

    @Option(
        name: .customLong("input-dropout"), parsing: .unconditional,
        help: "Input Dropout ratio, or ratios to compare (e.g. 0,0.2).")
    var inputDropout: CommaList<Float> = CommaList([0])

    /// Read as text and parsed in `validate()`, so that a bad element is named on its own.
    @Option(
        parsing: .unconditional,
        help: "Hidden layer lists to compare, each as --hidden takes one without commas (e.g. 100x2,100x4,50x4).")
    var hiddens: String?

    /// The `--hiddens` lists (empty without the flag); only valid elements, which `validate()` ensures.
    var hiddenLists: [HiddenLayers] {
        guard let hiddens else { return [] }
        return hiddens.split(separator: ",", omittingEmptySubsequences: false).compactMap {
            HiddenLayers(argument: String($0))
        }
    }

    @Option(help: "BatchNorm: off, on, or both (two runs); the book's switch (--norm batch, --norms none,batch).")
    var batchnorm: BatchNormChoice = .off

    @Option(help: "Normalization of every run: none, batch (BatchNorm) or layer (LayerNorm).")
    var norm: Normalization?

    @Option(help: "Normalizations to compare (e.g. none,batch,layer).")
    var norms: CommaList<Normalization>?

    @Option(parsing: .unconditional, help: "Dropout ratio, or ratios to compare (e.g. 0,0.2).")
    var dropout: CommaList<Float> = CommaList([0])

    @Option(
        name: .customLong("weight-decay"), parsing: .unconditional,
        help: "Weight decay λ, or values to compare (e.g. 0,0.1).")
    var weightDecay: CommaList<Float> = CommaList([0])

    /// The knobs given with more than one value, by flag.
    var variedFlags: [String] {
        var flags: [String] = []
        if (optimizers?.values.count ?? 0) > 1 { flags.append("--optimizers") }
        if (inits?.values.count ?? 0) > 1 { flags.append("--inits") }
        if (activations?.values.count ?? 0) > 1 { flags.append("--activations") }
        if (losses?.values.count ?? 0) > 1 { flags.append("--losses") }
        if (lrs?.values.count ?? 0) > 1 { flags.append("--lrs") }
        if (batches?.values.count ?? 0) > 1 { flags.append("--batches") }
        if (lrSchedules?.values.count ?? 0) > 1 { flags.append("--lr-schedules") }
        if (dropoutStyles?.values.count ?? 0) > 1 { flags.append("--dropout-styles") }
        if inputDropout.values.count > 1 { flags.append("--input-dropout") }
        if hiddenLists.count > 1 { flags.append("--hiddens") }
        if (inputsList?.values.count ?? 0) > 1 { flags.append("--inputs-list") }
        if (augments?.values.count ?? 0) > 1 { flags.append("--augments") }
        for list in parameterLists where list.values.count > 1 { flags.append(list.flag) }
        if batchnorm == .both { flags.append("--batchnorm both") }
        if (norms?.values.count ?? 0) > 1 { flags.append("--norms") }
        if dropout.values.count > 1 { flags.append("--dropout") }
        if weightDecay.values.count > 1 { flags.append("--weight-decay") }
        return flags
    }

    func validate() throws {
        let varied = variedFlags
        if varied.count > 1 {
            throw ValidationError("compare varies one knob at a time; got \(varied.joined(separator: " and "))")
        }
        if let problem = normalizationProblem { throw ValidationError(problem) }
        for r in dropout.values where !(r >= 0 && r < 1) {
            throw ValidationError("--dropout: ratio must be in [0, 1), got \(Format.number(r))")
        }
        if (dropoutStyles?.values.count ?? 0) > 1, dropout.values.allSatisfy({ $0 == 0 }),
            inputDropout.values.allSatisfy({ $0 == 0 })
        {
            throw ValidationError(
                "--dropout-styles: without Dropout every run is the same; give --dropout R or --input-dropout R")
        }
        for r in inputDropout.values where !(r >= 0 && r < 1) {
            throw ValidationError("--input-dropout: ratio must be in [0, 1), got \(Format.number(r))")
        }
        if let text = hiddens {
            for element in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let h = HiddenLayers(argument: String(element)) else {
                    throw ValidationError(
                        "--hiddens: \"\(element)\" is not a hidden layer list (a width W or WxN, N in 1…\(HiddenLayers.maximumRepeat), e.g. 100x4)"
                    )
                }
                if let w = h.sizes.first(where: { $0 < 1 }) {
                    throw ValidationError("--hiddens: every layer needs at least 1 unit, got \(w) in \"\(element)\"")
                }
            }
        }
        for w in weightDecay.values where !(w >= 0 && w.isFinite) {
            throw ValidationError("--weight-decay: must be a finite value ≥ 0, got \(Format.number(w))")
        }
        for b in batches?.values ?? [] where b < 1 {
            throw ValidationError("--batches: batch sizes must be at least 1, got \(b)")
        }
        for lr in lrs?.values ?? [] where !(lr > 0 && lr.isFinite) {
            throw ValidationError("--lrs: learning rates must be finite and > 0, got \(Format.number(lr))")
        }
        for s in lrSchedules?.values ?? [] {
            do { try s.validate() } catch { throw ValidationError("--lr-schedules: \(error.problem)") }
        }
        for a in augments?.values ?? [] {
            do { try a.validate() } catch { throw ValidationError("--augments: \(error.problem)") }
        }
        for list in parameterLists {
            for v in list.values {
                var p = OptimizerParameters.book
                p[keyPath: list.key] = v
                do { try p.validate() } catch { throw ValidationError("\(list.flag): \(error.problem)") }
            }
        }
    }

    /// `--batchnorm`, `--norm` and `--norms` all set the normalization: two of them that disagree
    /// (or a list beside a single value) are refused.
    private var normalizationProblem: String? {
        if let norm, batchnorm != .off && !(batchnorm == .on && norm == .batch) {
            return
                "--batchnorm \(batchnorm.rawValue) and --norm \(norm.rawValue): give one of them (--batchnorm on is --norm batch)"
        }
        if norms != nil,
            let other = norm.map({ "--norm \($0.rawValue)" })
                ?? (batchnorm != .off ? "--batchnorm \(batchnorm.rawValue)" : nil)
        {
            return "--norms and \(other): give one of them"
        }
        return nil
    }

    /// Why varying an optimizer parameter for `kind` would make identical runs (`--momenta` with
    /// SGD), naming the optimizers that have it; nil when every varied list is one `kind` uses.
    func unusedParameterProblem(for kind: OptimizerKind) -> String? {
        for list in parameterLists where list.values.count > 1 && !OptimizerParameters.used(by: kind).contains(list.key)
        {
            let users = OptimizerKind.allCases.filter { OptimizerParameters.used(by: $0).contains(list.key) }
            return "\(list.flag): \(kind.displayName) does not use it; give --optimizer "
                + users.map(\.rawValue).joined(separator: " or ")
        }
        return nil
    }

    /// One config per value of the varied knob (one config if nothing varies).
    func configs(_ options: RunOptions, defaultEpochs: Int) -> [TrainingConfig] {
        var base = options.trainingConfig(
            defaultEpochs: defaultEpochs, normalization: norm ?? (batchnorm == .on ? .batch : .none),
            dropout: dropout.values[0], weightDecay: weightDecay.values[0])
        if let o = optimizers?.values, o.count == 1 { base.optimizer = o[0] }
        if let i = inits?.values, i.count == 1 { base.network.initializer = i[0].value }
        if let a = activations?.values, a.count == 1 { base.network.activation = a[0] }
        if let l = losses?.values, l.count == 1 { base.network.loss = l[0] }
        if let l = lrs?.values, l.count == 1 { base.learningRate = l[0] }
        if let b = batches?.values, b.count == 1 { base.batchSize = b[0] }
        if let s = lrSchedules?.values, s.count == 1 { base.schedule = s[0] }
        if let s = dropoutStyles?.values, s.count == 1 { base.network.dropoutStyle = s[0] }
        base.network.inputDropout = inputDropout.values[0]
        if hiddenLists.count == 1 { base.network.hidden = hiddenLists[0].sizes }
        if let i = inputsList?.values, i.count == 1 { base.inputs = i[0] }
        if let a = augments?.values, a.count == 1 { base.augmentation = a[0] }
        if let n = norms?.values, n.count == 1 { base.network.normalization = n[0] }
        for list in parameterLists where list.values.count == 1 {
            base.optimizerParameters[keyPath: list.key] = list.values[0]
        }
        func each<T>(_ values: [T], _ set: (inout TrainingConfig, T) -> Void) -> [TrainingConfig] {
            values.map { v in
                var c = base
                set(&c, v)
                return c
            }
        }
        if let o = optimizers?.values, o.count > 1 {
            // Each optimizer at its book default unless --lr fixes one rate for all.
            return each(o) { c, v in
                c.optimizer = v
                c.learningRate = options.lr
            }
        }
        if let i = inits?.values, i.count > 1 { return each(i) { $0.network.initializer = $1.value } }
        if let a = activations?.values, a.count > 1 { return each(a) { $0.network.activation = $1 } }
        if let l = losses?.values, l.count > 1 { return each(l) { $0.network.loss = $1 } }
        if let l = lrs?.values, l.count > 1 { return each(l) { $0.learningRate = $1 } }
        if let b = batches?.values, b.count > 1 { return each(b) { $0.batchSize = $1 } }
        if let s = lrSchedules?.values, s.count > 1 { return each(s) { $0.schedule = $1 } }
        if let s = dropoutStyles?.values, s.count > 1 { return each(s) { $0.network.dropoutStyle = $1 } }
        if inputDropout.values.count > 1 { return each(inputDropout.values) { $0.network.inputDropout = $1 } }
        if hiddenLists.count > 1 { return each(hiddenLists) { $0.network.hidden = $1.sizes } }
        if let i = inputsList?.values, i.count > 1 { return each(i) { $0.inputs = $1 } }
        if let a = augments?.values, a.count > 1 { return each(a) { $0.augmentation = $1 } }
        for list in parameterLists where list.values.count > 1 {
            return each(list.values) { $0.optimizerParameters[keyPath: list.key] = $1 }
        }
        if batchnorm == .both { return each([false, true]) { $0.network.batchNorm = $1 } }
        if let n = norms?.values, n.count > 1 { return each(n) { $0.network.normalization = $1 } }
        if dropout.values.count > 1 { return each(dropout.values) { $0.network.dropout = $1 } }
        if weightDecay.values.count > 1 { return each(weightDecay.values) { $0.network.weightDecay = $1 } }
        return [base]
    }
}
