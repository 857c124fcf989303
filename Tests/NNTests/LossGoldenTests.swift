import Foundation
import NN
import Testing

/// Bit-for-bit pins of what training computes: for each variant of the book's network, the hash of
/// 20 steps' losses (their bit patterns) and the trainer's state digest after them (every weight,
/// buffer and random stream). Recorded before the performance work of issue 17, so a faster kernel
/// that changes a single rounding anywhere fails here; a deliberate change of numbers (a new mask
/// generator, say) re-records its rows and says why in its commit.
///
/// The inputs are 28×28 (augmentation needs a square image), the widths the book's (100), so every
/// vector kernel runs its full-width body and its remainder.
@Suite struct LossGoldenTests {
    static let data = Dataset(
        name: "golden", train: Synthetic.images(count: 400, features: 784, classes: 10, seed: 21),
        test: Synthetic.images(count: 100, features: 784, classes: 10, seed: 22))

    static func config(_ name: String) -> TrainingConfig {
        var c = TrainingConfig(
            network: NetworkConfig(
                inputSize: 784, hidden: [100, 100, 100], outputSize: 10, activation: .relu, initializer: .he),
            optimizer: .sgd, batchSize: 100, epochs: 1, seed: 5, sampling: .shuffledEpochs)
        let parts = name.split(separator: " ").map(String.init)
        c.optimizer = OptimizerKind(rawValue: parts[0])!
        switch parts[1] {
        case "plain": break
        case "batchnorm": c.network.batchNorm = true
        case "layernorm": c.network.normalization = .layer
        case "wd": c.network.weightDecay = 0.1
        case "dropout": c.network.dropout = 0.2
        case "dropout-inv":
            c.network.dropout = 0.2
            c.network.dropoutStyle = .inverted
        case "input-dropout": c.network.inputDropout = 0.2
        case "bn-dropout-wd":
            c.network.batchNorm = true
            c.network.dropout = 0.2
            c.network.weightDecay = 0.01
        case "mse": c.network.loss = .meanSquaredError
        case "augment": c.augmentation = Augmentation(shift: 2, noise: 0.1)
        case "standardize": c.inputs = .standardize
        default: c.network.activation = Activation(argument: parts[1])!
        }
        return c
    }

    /// FNV-1a over the losses' bits, and the state digest, both as hex.
    static func fingerprint(_ name: String) -> String {
        let t = Trainer(config: config(name), data: data)
        var d = StateDigest()
        for _ in 0..<20 { d.add(t.step().bitPattern) }
        return String(d.value, radix: 16) + " " + String(t.stateDigest().value, radix: 16)
    }

    /// Per OpenBLAS kernel (sgemm's summation order is the kernel's): on a machine whose kernel has
    /// no row here the test has nothing to compare with and says so.
    static let golden: [String: [String: String]] = [
        "Prescott": [
            "sgd plain": "2786ea4358736cd6 b85a1e7c9b3981e0",
            "momentum plain": "4c532c97834c01dc 8ee2894a08814e4a",
            "nesterov plain": "760b9a44f88296e2 4079351d373ab6c7",
            "adagrad plain": "632853bdb85e90cb ca38467b2a0fc207",
            "rmsprop plain": "356159d98a4c633c 88fb8ef1ce303293",
            "adam plain": "8a79e540ccbfdf62 ea1d3931efd38cb8",
            "sgd batchnorm": "8f28503d31207a97 60afb5c86b6600c7",
            "sgd layernorm": "a5326f55097378a 2b5d9596bb3668be",
            "sgd wd": "7f9a41c750f0251 b74e2f16fc6fe69c",
            "sgd dropout": "3aa7824d5dc0f128 d2e164b2e0d5fcb8",
            "sgd dropout-inv": "311ca50137e1bd6f b17842b6f45b093e",
            "sgd input-dropout": "ba102a1d8c2cfb1e fefec758dfa63afe",
            "sgd bn-dropout-wd": "25d213f7e5957a30 efca361e115dafb1",
            "adam batchnorm": "fe062b08373a5126 5a350d6ed5b462d2",
            "adam layernorm": "a33c521445fc750 b93af52497f94763",
            "adam wd": "7294f08b8a525fd5 6a8a515698b60006",
            "adam dropout": "c5f5faf26b7126a9 3c0b80c449b00fd8",
            "adam dropout-inv": "f37497e7bf67e805 312cc66203129810",
            "adam input-dropout": "4f7e076486ab821e d411adaa16c2e1aa",
            "adam bn-dropout-wd": "e95ac4c99a72b4e3 d9496846ee876db0",
            "sgd leaky-relu": "6a6c5b69e6e5cbbb 2fbcd3dbc226cdfe",
            "sgd softplus": "a6d9ba02f8f36001 d1a5439529e13447",
            "sgd sigmoid": "3bfc89cf019db62e 88ca161c25559f10",
            "sgd tanh": "d3bba9a39e0f1930 6d1b63edfdd1dd51",
            "sgd identity": "3ce6311295c41acc a27d099485297429",
            "sgd mse": "64c84f1c59c520dd 9ceab65d42de11af",
            "sgd augment": "2e614db07b4ca692 90d9847102e1598e",
            "sgd standardize": "cf70a2b8caa412b0 75ec831be2d262c2",
        ],
        "Haswell": [
            "sgd plain": "c0e57192103d1dd0 1f84b3656c0fac57",
            "momentum plain": "ffbeeb54399cb558 287350534896d6aa",
            "nesterov plain": "d31d48716132077b 1f9c039187ec56ce",
            "adagrad plain": "479a9af40e1e552c 105f2c7848ddeffb",
            "rmsprop plain": "6dba7a40fdb1ea94 f5680f3934dc62f1",
            "adam plain": "37d34602413ba48f 2aabf1a6819905e1",
            "sgd batchnorm": "22c287727f3dc458 22a7fa962802127",
            "sgd layernorm": "eff66dc194b8d31b 915673a5a5c74f69",
            "sgd wd": "a6356a4a56494d4a eaf09b27660735b",
            "sgd dropout": "bb17192153fa3afd 730b707cc08a6553",
            "sgd dropout-inv": "dd7f0f8f2202d165 8b692236c5740cd",
            "sgd input-dropout": "c40e7b9c3ea9641e 780db0009ea8df5e",
            "sgd bn-dropout-wd": "55ffa9bd2cac6f68 a87da02247258b95",
            "adam batchnorm": "14b1002ea35498bc 5bedeb644beaaa3d",
            "adam layernorm": "13f9d5e2e5dfe5f9 4d0d36908fd3e4fd",
            "adam wd": "9cf67192c13f8af ff5a7a90addc138f",
            "adam dropout": "82e28bd587268e57 971b2bcd4eaf64a2",
            "adam dropout-inv": "7e378eeb2e850afc c85c738c5e1c75f5",
            "adam input-dropout": "c2a72a5864cfb232 5c69c3c05d8ea2e8",
            "adam bn-dropout-wd": "192a855a96afa661 2852cf0052b45f9b",
            "sgd leaky-relu": "3a799fc0d42d7317 83738905759e9f75",
            "sgd softplus": "a8a5fe03f23f4ed9 1dcc5d0f59e34c94",
            "sgd sigmoid": "2947e1689909148f dd7cf721c52c12be",
            "sgd tanh": "7383ea211bf6b50 21b6a18b1e3006a7",
            "sgd identity": "d90d5b587351778f b0932488bf7372c3",
            "sgd mse": "565b3a6a9023ede1 708ad82af44c2f29",
            "sgd augment": "d696b215ac441933 ada7d800bd016706",
            "sgd standardize": "d6cb7dc18b9eb8d5 6658b89e6a99590a",
        ],
        "SkylakeX": [
            "sgd plain": "771a784b94ad1499 eab3db83f4527ef",
            "momentum plain": "11e3fc0cff7b77b2 262955936ffe9178",
            "nesterov plain": "fd2247aae9bd5c32 16aa29f3c3333eda",
            "adagrad plain": "d809925d5e1c133d f12623cd8f596ee5",
            "rmsprop plain": "2bb7cd35edb3f24a 8322f2901823aa59",
            "adam plain": "3c6f25282a3f1b76 22b74366d102e6cd",
            "sgd batchnorm": "ce92de3697aa2aee a4af8cefa84f426e",
            "sgd layernorm": "7857ddfeccff5f18 406407fa5bd4436e",
            "sgd wd": "39b860ad0d51d678 3e0621970ba0f738",
            "sgd dropout": "b675276e5e78ae4d a1bbb1509adbab72",
            "sgd dropout-inv": "4058c99f58ed42f3 e873927cd3c8d3c9",
            "sgd input-dropout": "ef7b465d21206333 eea5f56b9c54cd27",
            "sgd bn-dropout-wd": "9c6c53092c92c0f1 307dc2c28959ee6e",
            "adam batchnorm": "20695b73bfe5f0e a60b847d63d7b0d5",
            "adam layernorm": "283fc607e10bf958 feb85fc7e73e81b3",
            "adam wd": "f52424460c22eed1 5ca0437a5038351c",
            "adam dropout": "7aadbb7844a489ab 862f94fc97d37eac",
            "adam dropout-inv": "c232c409435ef099 4f35b6a6649be6c5",
            "adam input-dropout": "8e066b278a58ebe4 729d35195be1ab6d",
            "adam bn-dropout-wd": "cd14da29df9188bb a795750261c24254",
            "sgd leaky-relu": "1280c8cb20be17a4 fb0d491355c4d89c",
            "sgd softplus": "a5d2287bbdd2d14f 67510b386b83afeb",
            "sgd sigmoid": "5d235dda8abbf2a4 589b0807707dec7c",
            "sgd tanh": "749a2604bc316fcc ae1dc7cba94f0032",
            "sgd identity": "41adb976452b8f63 c56ad453d20a72bb",
            "sgd mse": "b190545bdd46fb10 91bf4d9e8624cfdf",
            "sgd augment": "66b5e9ac77d28409 d8024b83f305cb8f",
            "sgd standardize": "32227b2d71e3c0be 628a062fc7cc4a66",
        ],
        "Cooperlake": [
            "sgd plain": "279e0fb7f73b77aa 7bd6cbb13ff46221",
            "momentum plain": "446f3426ae63e636 1606dd0388f5b57c",
            "nesterov plain": "3ef2d9f0b90cb2e a9c79288aea333a7",
            "adagrad plain": "e8486bcd0a0137b0 a23a22065a558701",
            "rmsprop plain": "8d8c4290b1f3d04 ec93a498402025ab",
            "adam plain": "5b0110a7141081d6 9482033615131e81",
            "sgd batchnorm": "9820432685fd213d 75779a7b0f8f0132",
            "sgd layernorm": "d1a23b27267aa4f9 3a8f2349b2fe7159",
            "sgd wd": "7956b2be31586024 6773d5fc786ead74",
            "sgd dropout": "8e402f3bdb5bf03f ac80ad948942f10d",
            "sgd dropout-inv": "4bf57ce9c2110d7e c00047dce0c57c5a",
            "sgd input-dropout": "79b42f6972cccf15 226e5ee2589bf0d3",
            "sgd bn-dropout-wd": "495045ecbdebcb37 5654d3f03105a1d4",
            "adam batchnorm": "c5752fa4aa8b0fb9 68f6c5f658131b05",
            "adam layernorm": "4c5d7e6d95d23aaa a9978f575f00c0ed",
            "adam wd": "b5c6516482f32788 91afe41c5dd7b4ce",
            "adam dropout": "b303b60faf08bfb 6e51064ddf6a7f80",
            "adam dropout-inv": "48d6867573fab11 368407ef30b09372",
            "adam input-dropout": "753002d3037b0981 91bacffa0f187c54",
            "adam bn-dropout-wd": "b9ba64f7bf715a5 f589073db19ae5cf",
            "sgd leaky-relu": "81404848f98dcd68 6c0e5d5b7c4e736",
            "sgd softplus": "2cbd091775e7adf7 3ddc7ae8073f6c3b",
            "sgd sigmoid": "36c46e3189860173 93c1e42d9102ece1",
            "sgd tanh": "d2e34fa3fdfc0a5c 6dd9d02a3df6cec7",
            "sgd identity": "65eb1c253b61d5ec 4084cae5652cf6dd",
            "sgd mse": "244e6edc97730910 18c1ef22c0263fbf",
            "sgd augment": "a3acb53832f5ba43 273846c2e3acecc2",
            "sgd standardize": "d6f9119706e69e79 216c16412a8e1de5",
        ],
    ]

    static let names =
        ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"].map { "\($0) plain" }
        + ["sgd", "adam"].flatMap { o in
            ["batchnorm", "layernorm", "wd", "dropout", "dropout-inv", "input-dropout", "bn-dropout-wd"].map {
                "\(o) \($0)"
            }
        }
        + ["leaky-relu", "softplus", "sigmoid", "tanh", "identity", "mse", "augment", "standardize"].map { "sgd \($0)" }

    @Test(arguments: names)
    func trainingComputesTheSameBits(_ name: String) throws {
        let core = BLASThreads.coreName
        guard let table = Self.golden[core] else {
            print("LossGoldenTests: no fingerprints recorded for the OpenBLAS kernel \(core); nothing compared")
            return
        }
        #expect(Self.fingerprint(name) == table[name], "\(name) on \(core)")
    }

    @Test func printFingerprints() {
        guard ProcessInfo.processInfo.environment["DLBOARD_PRINT_GOLDEN"] != nil else { return }
        print("core \(BLASThreads.coreName)")
        for n in Self.names { print("            \"\(n)\": \"\(Self.fingerprint(n))\",") }
    }
}
