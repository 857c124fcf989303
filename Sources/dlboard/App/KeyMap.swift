import TUI

/// The dashboard's keys: one table drives both the key handling and the help overlay.
enum KeyMap {
    struct Binding {
        var keys: [Key]
        var action: Action
        var help: String
    }

    static let bindings: [Binding] = [
        Binding(
            keys: [.character("o")], action: .nextOptimizer,
            help: "next optimizer (fresh optimizer state, weights kept)"),
        Binding(keys: [.character("O")], action: .previousOptimizer, help: "previous optimizer"),
        Binding(
            keys: [.character("+"), .character("=")], action: .learningRateUp,
            help: "learning rate × √10 (a schedule's base; optimizer state kept)"),
        Binding(keys: [.character("-")], action: .learningRateDown, help: "learning rate ÷ √10"),
        Binding(
            keys: [.character("c")], action: .nextSchedule,
            help: "next lr schedule: constant, inverse, exp, isqrt, step, cosine"),
        Binding(
            keys: [.character("i")], action: .nextInitializer, help: "next initializer and re-initialize (asks first)"),
        Binding(
            keys: [.character("a")], action: .nextActivation,
            help: "next of six activations (ReLU to Identity) and re-initialize"),
        Binding(
            keys: [.character("b")], action: .cycleNormalization,
            help: "normalization: none → BN → LN → none (weights kept)"),
        Binding(keys: [.character("d")], action: .toggleDropout, help: "Dropout on/off"),
        Binding(keys: [.character("[")], action: .dropoutDown, help: "Dropout ratio − 0.05"),
        Binding(keys: [.character("]")], action: .dropoutUp, help: "Dropout ratio + 0.05"),
        Binding(
            keys: [.character("w")], action: .nextWeightDecay, help: "next weight decay (0, 1e-4, 1e-3, 1e-2, 0.1)"),
        Binding(
            keys: [.character(">")], action: .batchSizeUp,
            help: "next batch size (1, 2, 5 … 1000; the sampler keeps its place in samples)"),
        Binding(keys: [.character("<")], action: .batchSizeDown, help: "previous batch size"),
        Binding(
            keys: [.character("m")], action: .nextLoss,
            help: "next loss: cross-entropy, MSE (weights and optimizer state kept)"),
        Binding(
            keys: [.character("g")], action: .toggleAugmentation,
            help: "augmentation of training batches on/off (the run's own, or shift:2)"),
        Binding(
            keys: [.character(" ")], action: .togglePause, help: "pause / resume (resume past the target trains on)"),
        Binding(keys: [.character("n")], action: .singleStep, help: "one step while paused"),
        Binding(keys: [.character("r")], action: .restart, help: "restart from fresh weights (curves kept, marked)"),
        Binding(keys: [.character("s")], action: .nextSmoothing, help: "loss smoothing strength"),
        Binding(keys: [.character("l")], action: .toggleLogY, help: "log scale for the loss"),
        Binding(
            keys: [.character("X")], action: .nextXAxis,
            help: "x-axis: steps, epochs (samples seen), seconds of training"),
        Binding(keys: [.character("f")], action: .toggleFreeze, help: "freeze the view (training goes on)"),
        Binding(
            keys: [.character("e")], action: .togglePathInset,
            help: "inset: the current optimizer and lr on the book's bowl (E1)"),
        Binding(
            keys: [.character("L")], action: .toggleLayers,
            help: "layers view: gradients, weights and update:data per layer"),
        Binding(keys: [.character("?"), .function(1)], action: .help, help: "this help"),
        Binding(keys: [.character("q")], action: .quit, help: "quit (asks first)"),
        Binding(keys: [.escape], action: .closeOverlay, help: "close a popup or this help"),
    ]

    struct ComparisonBinding {
        var keys: [Key]
        var action: ComparisonAction
        var help: String
    }

    /// Keys of sessions with several runs; the keys above act on the focused pane.
    static let comparisonBindings: [ComparisonBinding] = [
        ComparisonBinding(
            keys: [.tab, .right], action: .nextPane, help: "focus the next pane (the keys above act on it)"),
        ComparisonBinding(keys: [.backTab, .left], action: .previousPane, help: "focus the previous pane"),
        ComparisonBinding(
            keys: [.character("v")], action: .toggleOverlay,
            help: "overlay view: all runs on one loss and one accuracy chart"),
        ComparisonBinding(
            keys: [.character("x")], action: .toggleDifference, help: "difference view: focused run minus run 1"),
        ComparisonBinding(
            keys: [.character("F")], action: .fork, help: "fork the focused run here (next switch applies to the fork)"),
        ComparisonBinding(keys: [.character("P")], action: .pauseAll, help: "pause / resume all runs"),
    ]

    private static let comparisonTable: [Key: ComparisonAction] = {
        var t: [Key: ComparisonAction] = [:]
        for b in comparisonBindings { for k in b.keys { t[k] = b.action } }
        return t
    }()

    static func comparisonAction(for key: Key) -> ComparisonAction? { comparisonTable[key] }

    private static let table: [Key: Action] = {
        var t: [Key: Action] = [:]
        for b in bindings { for k in b.keys { t[k] = b.action } }
        return t
    }()

    static func action(for key: Key) -> Action? { table[key] }

    /// The first key bound to `action`, as help texts name it (hints on the screen use this, so a
    /// rebinding cannot leave them naming the wrong key).
    static func keyName(for action: Action) -> String {
        bindings.first { $0.action == action }?.keys.first?.displayName ?? "?"
    }

    /// The always-visible hint line, most useful first: `HintsBar` shows as many as fit, and at 80
    /// columns all but the last (weight decay, which the help lists).
    static let hints: [(key: String, label: String)] = [
        ("o", "optim"), ("+/-", "lr"), ("i", "init"), ("b", "norm"), ("d", "drop"), ("L", "layers"),
        ("space", "pause"), ("?", "help"), ("q", "quit"), ("w", "decay"),
    ]

    /// The hint line of a comparison session (at 80 columns up to "d drop").
    static let comparisonHints: [(key: String, label: String)] = [
        ("tab", "pane"), ("v", "overlay"), ("x", "diff"), ("F", "fork"), ("o", "optim"), ("+/-", "lr"),
        ("b", "norm"), ("L", "layers"), ("d", "drop"), ("space", "pause"), ("P", "all"), ("?", "help"), ("q", "quit"),
    ]
}
