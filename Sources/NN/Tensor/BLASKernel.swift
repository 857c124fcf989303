import CBLAS
import Foundation

/// Process-wide OpenBLAS thread count. Two threads hardly help this network's small GEMMs on two
/// cores and their workers spin, so the trainer defaults to one.
public enum BLASThreads {
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    public static var current: Int { Int(openblas_get_num_threads()) }
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
}

/// Which OpenBLAS kernel family suits a CPU, from its /proc/cpuinfo flags.
///
/// Why: Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) identifies cores by model, and on CPUs it does not
/// know (seen here: a VM reporting "Intel(R) Xeon(R) Processor" with AVX-512 and AVX512-FP16) it
/// falls back to `Prescott`, an SSE3 kernel about 4× slower. `OPENBLAS_CORETYPE` overrides the
/// choice, but only if set before the library initialises, i.e. before the process starts.
public enum BLASKernel {
    /// The widest vector instruction set a CPU offers or a kernel uses, in order.
    public enum ISA: Int, Comparable, Sendable, CaseIterable {
        case sse, avx, avx2, avx512

        public static func < (a: ISA, b: ISA) -> Bool { a.rawValue < b.rawValue }

        public var displayName: String {
            switch self {
            case .sse: "SSE"
            case .avx: "AVX"
            case .avx2: "AVX2"
            case .avx512: "AVX-512"
            }
        }
    }

    /// The AVX-512 subsets OpenBLAS's SkylakeX and Cooperlake kernels are built for.
    static let avx512Flags = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]

    /// The widest instruction set the flags offer to a kernel: AVX-512 only with the subsets the
    /// SkylakeX kernels need, AVX2 only with FMA (every AVX2 kernel of OpenBLAS uses it).
    public static func isa(flags: Set<String>) -> ISA {
        if avx512Flags.allSatisfy(flags.contains) { return .avx512 }
        if flags.contains("avx2") && flags.contains("fma") { return .avx2 }
        if flags.contains("avx") { return .avx }
        return .sse
    }

    /// The instruction set of an OpenBLAS x86-64 core name (`openblas_get_corename`, the names of
    /// its `dynamic.c`, compared without case), or nil for a name this table does not know.
    public static func isa(ofCore name: String) -> ISA? {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": .avx512
        case "haswell", "zen", "excavator": .avx2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": .avx
        case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
            "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat":
            .sse
        default: nil
        }
    }

    /// The best kernel the flags support, or nil when OpenBLAS's own choice should stand.
    public static func preferredCoreType(flags: Set<String>) -> String? {
        switch isa(flags: flags) {
        case .avx512: flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        case .avx2: "Haswell"
        case .avx, .sse: nil
        }
    }

    /// The flags of the first CPU in /proc/cpuinfo (empty if unreadable).
    public static func cpuFlags(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> Set<String>
    {
        guard let value = field("flags", in: cpuinfo) else { return [] }
        return Set(value.split(separator: " ").map(String.init))
    }

    /// The first CPU's "model name" in /proc/cpuinfo, or nil.
    public static func cpuModel(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> String?
    {
        field("model name", in: cpuinfo).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The value after the colon of the first line `name<tabs>: value`.
    static func field(_ name: String, in cpuinfo: String?) -> String? {
        guard let text = cpuinfo,
            let line = text.split(separator: "\n").first(where: {
                $0.hasPrefix(name)
                    && $0.dropFirst(name.count).first.map { $0 == "\t" || $0 == " " || $0 == ":" } == true
            }),
            let colon = line.firstIndex(of: ":")
        else { return nil }
        return String(line[line.index(after: colon)...])
    }

    /// Kernels that are a fallback rather than a match for a modern x86-64 CPU.
    public static let fallbackCores: Set<String> = [
        "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Northwood",
    ]
}
