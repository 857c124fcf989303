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
        // Re-recorded when Affine's dout·Wᵀ became a plain product of a copy of Wᵀ: OpenBLAS's
        // small-matrix kernels of these two sum that product in another order than its NT form.
        // Prescott's and Haswell's rows did not change (one code path for both forms there).
        "SkylakeX": [
            "sgd plain": "15dbdb8f05a08d00 a19e522546dc66d7",
            "momentum plain": "a80bf718397f7222 d990dcdb3d5ec7bf",
            "nesterov plain": "a4ddd06b2e3b7c45 3703dffdb99c889c",
            "adagrad plain": "dcf2b33487e4f827 7e4a71518b1e6081",
            "rmsprop plain": "4af20682922826ff c0789a50e59f12c3",
            "adam plain": "3a4418144d13cadd c8fa029686c40939",
            "sgd batchnorm": "4e6d483bcdba6768 43ceec5f3f1fd8c3",
            "sgd layernorm": "63cb2ecaa409198c df616bfe2ab5ed6b",
            "sgd wd": "ec8ca974f6db6fb9 2e5630e4b10efd6b",
            "sgd dropout": "83f5ac6993819db8 5bfebe1ed6fa8d39",
            "sgd dropout-inv": "43dbba977e36036d 3c38695b6a34d7b6",
            "sgd input-dropout": "8ecde16eae434c3e 380ca0e4f293fd21",
            "sgd bn-dropout-wd": "e1d9d57c80214d84 1c6915192ca6f1a6",
            "adam batchnorm": "94852a9f2cf85577 8cd72c970b2f8930",
            "adam layernorm": "2741240437d6f4a4 9f9f945e7148d881",
            "adam wd": "4e2002a343f9f172 86f466488b582d85",
            "adam dropout": "b9c926767c6f8481 53cd29837d1f3cd",
            "adam dropout-inv": "7d164de0795a2f1c da5623118459b11b",
            "adam input-dropout": "5f546b2e525de60e ea0f0d7c1e6a0c6a",
            "adam bn-dropout-wd": "20d4b0e4c30f243 63f8b1ce2fec6486",
            "sgd leaky-relu": "dfc3ec2e2925fefc ec882c615a2f5b49",
            "sgd softplus": "e21e3b8475ad46f3 65ff05b647a2bc04",
            "sgd sigmoid": "2b9f898ea265b52 f78c7d1a59593bb",
            "sgd tanh": "d9b387725f87ae40 b4ce09f12dd28f6c",
            "sgd identity": "26c753d3afa46885 ee2d04da6c225d4e",
            "sgd mse": "89b7b4b0e030f1db d91f912201da4098",
            "sgd augment": "526e45ef016ce9bb 2ae6684e9e8e4469",
            "sgd standardize": "6ff507153afafcf6 cdef9282037e89ac",
        ],
        "Cooperlake": [
            "sgd plain": "c167e0c784d565d5 a3f2421b920b3348",
            "momentum plain": "e102e0dc2f182dbc 34edaecdda9fcbe8",
            "nesterov plain": "e0ecbd113a747a07 35991f768c6b0087",
            "adagrad plain": "623623d5d78dbb7d f45031bddb7c9965",
            "rmsprop plain": "fc1ba035b9525d86 279449fb5ea9e4ee",
            "adam plain": "4826db3280e8036 cec08d1627c14637",
            "sgd batchnorm": "d90a0b2565aaa073 da171211576c924a",
            "sgd layernorm": "cf21afc51a4c2870 2d6451d09ec27d92",
            "sgd wd": "3302cb4773e6843f b4c2719a22dc5f82",
            "sgd dropout": "c279b9a078ab3701 ec6687fc3929c1db",
            "sgd dropout-inv": "ca33ff801955f4b4 f11cc9538b5539d4",
            "sgd input-dropout": "b2b8297343f65a46 b3f969e6edea0302",
            "sgd bn-dropout-wd": "58763fad955a2907 e44540ed282bb282",
            "adam batchnorm": "c6120a4ee3151a35 645576317e606cff",
            "adam layernorm": "17f2796391431952 120ec48e2fd1f10a",
            "adam wd": "a0c016c63ccf9a50 d0a21c0bfde16752",
            "adam dropout": "12c46ca440410c31 639621132ca6ca59",
            "adam dropout-inv": "3e2625378a034ff7 3fecafa8739177c9",
            "adam input-dropout": "428a5044f73dc34b 4779b9ba67769ebb",
            "adam bn-dropout-wd": "331a5a753c1205bb cf623e272301aa5b",
            "sgd leaky-relu": "1ffd1738c6a27512 7eb63cf35ddc5cfb",
            "sgd softplus": "100866a3c1cb4d5d a3b6566ff36055c7",
            "sgd sigmoid": "10d4d58f5a4e8c98 a347bf3ea269a9ed",
            "sgd tanh": "f8c61237a9edff10 c1469424d7c37cda",
            "sgd identity": "dcf397e5611776aa 13a02883a10b2acb",
            "sgd mse": "da9c54346fa610bc 60f6ebbbf1c1b36c",
            "sgd augment": "4f3416d740e92b75 53e2fd4217049466",
            "sgd standardize": "ddf342de48a03393 a462843c0a1116e6",
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
