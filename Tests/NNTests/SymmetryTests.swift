import Foundation
import NN
import Testing

/// The symmetry trap (issue 13, acceptance 4): with every weight equal, every hidden unit of a layer
/// gets the same gradient, so the units stay identical however long the network trains — only the
/// biases (and the output layer's per-class columns) learn anything different.
struct SymmetryTests {
    @Test(arguments: [Initializer.zeros, .constant(0.5)], [Activation.relu, .sigmoid, .tanh])
    func unitsStayIdenticalWhileBiasesMove(initializer: Initializer, activation: Activation) {
        var config = Synthetic.config()
        config.network.initializer = initializer
        config.network.activation = activation
        let trainer = Trainer(config: config, data: Synthetic.dataset())
        let net = trainer.network
        for a in net.affines {
            #expect(
                (0..<a.weight.value.count).allSatisfy { a.weight.value.pointer[$0] == initializerValue(initializer) })
            #expect((0..<a.bias.value.count).allSatisfy { a.bias.value.pointer[$0] == 0 })
        }
        for _ in 0..<100 { _ = trainer.step() }

        for k in config.network.hidden.indices {
            let incoming = net.affines[k].weight.value
            let outgoing = net.affines[k + 1].weight.value
            let bias = net.affines[k].bias.value
            for j in 1..<incoming.cols {
                // BLAS may sum different columns in a different order, so "identical" is to a
                // Float32 rounding margin, far below the weights' change over 100 steps.
                for i in 0..<incoming.rows {
                    #expect(close(incoming[i, j], incoming[i, 0]), "layer \(k + 1) unit \(j): incoming weight \(i)")
                }
                for c in 0..<outgoing.cols {
                    #expect(close(outgoing[j, c], outgoing[0, c]), "layer \(k + 1) unit \(j): outgoing weight \(c)")
                }
                #expect(close(bias[0, j], bias[0, 0]), "layer \(k + 1) unit \(j): bias")
            }
        }
        let output = net.affines[net.affines.count - 1].bias.value
        #expect((0..<output.count).contains { abs(output.pointer[$0]) > 1e-3 }, "the output biases learned")
        if initializer != .zeros && activation == .relu {
            // With constant weights ReLU units are alive, so their biases move too. (With zero
            // weights a ReLU layer is dead and its bias stays 0 — the trap at its worst; sigmoid and
            // tanh at constant 0.5 saturate, so theirs barely move.)
            #expect(abs(net.affines[0].bias.value[0, 0]) > 1e-4, "the first hidden layer's biases moved")
        }
    }

    @Test func parsesAndEncodes() throws {
        #expect(Initializer(argument: "0") == .zeros)
        #expect(Initializer(argument: "zeros") == .zeros)
        #expect(Initializer(argument: "constant:0.5") == .constant(0.5))
        #expect(Initializer(argument: "constant:-2") == .constant(-2))
        #expect(Initializer(argument: "constant:") == nil)
        #expect(Initializer(argument: "constant:x") == nil)
        #expect(Initializer(argument: "-1") == nil)
        for i in [Initializer.zeros, .constant(0.5), .constant(-2), .std(0.01), .he, .xavier] {
            let data = try JSONEncoder().encode([i])
            #expect(try JSONDecoder().decode([Initializer].self, from: data) == [i], "\(i)")
        }
        #expect(Initializer.zeros.argument == "0")
        #expect(Initializer.constant(0.5).argument == "constant:0.5")
        #expect(Initializer.constant(0.5).displayName == "constant 0.5")
        var config = NetworkConfig(hidden: [4])
        config.initializer = .constant(.nan)
        #expect(throws: ConfigError(.initializer, "constant must be a finite number, got nan")) {
            try config.validate()
        }
        config.initializer = .constant(.infinity)
        #expect(throws: ConfigError.self) { try config.validate() }
        config.initializer = .zeros
        try config.validate()
    }

    private func initializerValue(_ i: Initializer) -> Float {
        if case .constant(let c) = i { return c }
        return .nan
    }

    private func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 1e-5 * max(1, abs(b)) }
}
