import Foundation
import NN
import Testing

@testable import dlboard

/// `dlboard gradcheck` as a user runs it: the table, the tolerance, exit 0; bad flags in one line.
@Suite struct GradcheckCommandTests {
    @Test func printsTheTableAndPasses() throws {
        let r = try BinaryRunner.run(["gradcheck", "--activation", "tanh", "--batchnorm", "--dropout", "0.2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.crashed)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("gradcheck: 20-10-10-10 Tanh, init He · batch 3 · BatchNorm") == true)
        #expect(lines.contains { $0.hasPrefix("tolerance: h = 0.01") })
        #expect(lines.contains { $0.contains("mean|diff|") && $0.contains("max|diff|") && $0.contains("max rel") })
        for name in ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"] {
            #expect(
                lines.contains { $0.split(separator: " ").first.map(String.init) == name && $0.hasSuffix("ok") },
                "row \(name)")
        }
        #expect(lines.last == "passed: backprop matches the numerical gradient in every parameter")
    }

    /// The new layers and the MSE loss pass, and the heading names what was checked.
    @Test(arguments: [
        (["--activation", "leaky-relu"], "Leaky ReLU, init He · batch 3"),
        (["--activation", "leaky-relu:0.5", "--batchnorm"], "Leaky ReLU 0.5, init He · batch 3 · BatchNorm"),
        (["--activation", "softplus", "--dropout", "0.2"], "SoftPlus, init He · batch 3 · dropout 0.2"),
        (["--activation", "identity", "--weight-decay", "0.1"], "Identity, init He · batch 3 · weight decay 0.1"),
        (["--loss", "mse"], "ReLU, init He · batch 3 · loss MSE"),
        (["--loss", "mse", "--activation", "tanh", "--batchnorm"], "Tanh, init He · batch 3 · loss MSE · BatchNorm"),
        (
            ["--dropout", "0.2", "--dropout-style", "inverted"],
            "ReLU, init He · batch 3 · dropout 0.2 inverted (mask fixed)"
        ),
        (
            ["--activation", "tanh", "--input-dropout", "0.3", "--batchnorm"],
            "Tanh, init He · batch 3 · BatchNorm · input dropout 0.3 (mask fixed)"
        ),
        (
            ["--dropout", "0.3", "--input-dropout", "0.2", "--dropout-style", "inverted"],
            "ReLU, init He · batch 3 · dropout 0.3 inverted (mask fixed) · input dropout 0.2 inverted (mask fixed)"
        ),
        (["--norm", "layer", "--activation", "tanh"], "Tanh, init He · batch 3 · LayerNorm"),
        (["--norm", "layer", "--batch", "1", "--dropout", "0.2"], "ReLU, init He · batch 1 · LayerNorm · dropout 0.2"),
        (["--norm", "batch"], "ReLU, init He · batch 3 · BatchNorm"),
    ])
    func theNewLayersAndLossPass(_ flags: [String], _ heading: String) throws {
        let r = try BinaryRunner.run(["gradcheck"] + flags)
        #expect(r.status == 0, "\(flags): \(r.stdout)")
        #expect(r.stdout.hasPrefix("gradcheck: 20-10-10-10 \(heading)"), "\(r.stdout)")
        #expect(r.stdout.contains("passed: backprop matches the numerical gradient in every parameter"))
    }

    @Test func theSymmetryTrapChecksToo() throws {
        let r = try BinaryRunner.run(["gradcheck", "--init", "0", "--weight-decay", "0.1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("init zeros"))
    }

    @Test(arguments: [
        (["gradcheck", "--dropout", "1"], "dlboard: error: --dropout: ratio must be in [0, 1), got 1.0"),
        (["gradcheck", "--init", "constant:nan"], "dlboard: error: --init: constant must be a finite number, got nan"),
        (["gradcheck", "--batch", "0"], "dlboard: error: --batch: must be in 1…1000, got 0"),
        (
            ["gradcheck", "--activation", "leaky-relu:1.5"],
            "dlboard: error: --activation: Leaky ReLU slope must be in (0, 1), got 1.5"
        ),
        (
            ["gradcheck", "--batchnorm", "--norm", "layer"],
            "dlboard: error: --batchnorm and --norm layer: give one of them (--batchnorm is --norm batch)"
        ),
    ])
    func badFlagsGiveOneLine(_ arguments: [String], _ expected: String) throws {
        let r = try BinaryRunner.run(arguments)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines == [Substring(expected)])
    }

    /// A backward pass broken on purpose in this (debug) build — its gradient scaled by 1.05 — fails
    /// the check with exit 1 and names a parameter the broken layer's gradient reaches.
    @Test(arguments: [
        ("affine", ["--activation", "tanh"], "W1"),
        ("relu", ["--activation", "relu"], "W1"),
        ("sigmoid", ["--activation", "sigmoid"], "W1"),
        ("tanh", ["--activation", "tanh"], "W1"),
        ("dropout", ["--activation", "tanh", "--dropout", "0.2"], "W1"),
        ("dropout", ["--activation", "tanh", "--dropout", "0.2", "--dropout-style", "inverted"], "W1"),
        ("leaky-relu", ["--activation", "leaky-relu:0.5"], "W1"),
        ("softplus", ["--activation", "softplus"], "W1"),
        ("identity", ["--activation", "identity"], "W1"),
        ("mse", ["--activation", "tanh", "--loss", "mse"], "W1"),
        ("layernorm", ["--activation", "tanh", "--norm", "layer"], "W1"),
    ])
    func aBrokenBackwardPassFails(_ kind: String, _ flags: [String], _ parameter: String) throws {
        let r = try BinaryRunner.run(["gradcheck"] + flags, environment: ["DLBOARD_TEST_BROKEN_BACKWARD": kind])
        #expect(r.status == 1 && !r.crashed, "\(kind): \(r.stdout)")
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let failed = lines.first { $0.hasPrefix("FAILED:") } ?? ""
        #expect(failed.contains(parameter), "\(kind): \(r.stdout)")
        #expect(
            lines.contains { $0.hasPrefix("\(parameter) ") && $0.hasSuffix("FAIL") },
            "\(kind): no failing \(parameter) row")
        // The same network passes without the fault, so the failure is the broken layer's.
        let healthy = try BinaryRunner.run(["gradcheck"] + flags)
        #expect(healthy.status == 0, "\(kind) without the fault: \(healthy.stdout)")
    }

    /// The exit status of a check that fails on a correct network: the checker's documented limit,
    /// ReLU inputs of order 1e-3 (std 0.01) that a bias step of h crosses, make `b2` fail at seed 0.
    @Test func aFailingCheckExitsOne() throws {
        let r = try BinaryRunner.run(["gradcheck", "--init", "0.01", "--seed", "0"])
        #expect(r.status == 1 && !r.crashed)
        #expect(r.stdout.contains("FAILED: b2 above the tolerance"))
        #expect(r.stdout.contains("note: signals as small as h"))
        #expect(r.stderr.isEmpty)
    }

    @Test func aFailingReportSaysWhich() {
        let failing = GradientCheckReportFixture.report(passing: false)
        let lines = GradcheckCommand.table(failing)
        #expect(lines.last == "FAILED: W2 above the tolerance")
        #expect(lines.contains { $0.contains("W2") && $0.hasSuffix("FAIL") })
    }
}

enum GradientCheckReportFixture {
    static func report(passing: Bool) -> NN.GradientCheck.Report {
        .init(parameters: [
            NN.GradientCheck.compare(name: "W1", analytic: [1, 2], numeric: [1, 2], halfStep: [1, 2]),
            NN.GradientCheck.compare(
                name: "W2", analytic: [1, passing ? 2 : 2.2], numeric: [1, 2], halfStep: [1, 2]),
        ])
    }
}
