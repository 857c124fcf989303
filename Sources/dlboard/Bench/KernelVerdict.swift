import Foundation
import NN

/// Which OpenBLAS kernel runs, who chose it, and whether that costs speed on this CPU: the header of
/// `dlboard bench`. A pure function of the environment, the CPU flags and the core name, so every
/// combination is testable without the machine that shows it.
///
/// Why it matters: some machines set `OPENBLAS_CORETYPE=Haswell` (and `OPENBLAS_L2_SIZE`) globally
/// as a workaround for older OpenBLAS builds; on an AVX-512 CPU that forces AVX2 kernels and about
/// halves sgemm — a figure measured that way is not what a user gets. dlboard's own re-exec sets
/// the same variable, so the variable alone cannot say who chose.
struct KernelVerdict: Codable, Equatable {
    enum Origin: String, Codable {
        /// OpenBLAS's own pick by CPU model; nothing in the environment.
        case openBLAS = "openblas"
        /// dlboard's re-exec (`DLBoard.chooseBLASKernel`) replaced OpenBLAS's fallback pick.
        case dlboard
        /// `OPENBLAS_CORETYPE` from the user's environment.
        case environment
    }

    /// Set by `DLBoard.chooseBLASKernel` beside `OPENBLAS_CORETYPE` before its re-exec, as
    /// "<kernel set>:<OpenBLAS's pick>". The kernel is repeated so that a user who later changes
    /// `OPENBLAS_CORETYPE` in a shell that inherited both is seen as forcing, not as dlboard.
    static let reexecMarker = "DLBOARD_CHOSEN_CORETYPE"

    static func marker(chosen: String, openBLASPick: String) -> String { "\(chosen):\(openBLASPick)" }

    /// `openblas_get_corename()`.
    var coreName: String
    var kernelISA: String
    var origin: Origin
    /// True when the user's environment decided: their own `OPENBLAS_CORETYPE` or any `OPENBLAS_L2_SIZE`.
    var forced: Bool
    /// The two variables as found (nil = unset).
    var coreTypeVariable: String?
    var l2SizeVariable: String?
    /// What OpenBLAS had picked before dlboard's re-exec (with origin dlboard).
    var openBLASPick: String?
    var cpuISA: String
    /// Set when the kernel uses a narrower instruction set than the CPU offers.
    var warning: String?
    /// One line: the kernel and who chose it.
    var summary: String

    /// This process's kernel, environment and CPU: what `bench`'s header and the headless reports say.
    static func current() -> KernelVerdict {
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        return KernelVerdict(
            environment: ProcessInfo.processInfo.environment, flags: BLASKernel.cpuFlags(cpuinfo: cpuinfo),
            coreName: BLASThreads.coreName)
    }

    init(environment: [String: String], flags: Set<String>, coreName: String) {
        self.coreName = coreName
        let coreISA = BLASKernel.isa(ofCore: coreName)
        let cpu = BLASKernel.isa(flags: flags)
        kernelISA = coreISA?.displayName ?? "unknown"
        cpuISA = cpu.displayName
        coreTypeVariable = environment["OPENBLAS_CORETYPE"]
        l2SizeVariable = environment["OPENBLAS_L2_SIZE"]
        let parts = environment[Self.reexecMarker]?.split(separator: ":", omittingEmptySubsequences: false)
        if let set = coreTypeVariable {
            if let parts, parts.count == 2, parts[0] == set {
                origin = .dlboard
                openBLASPick = String(parts[1])
            } else {
                origin = .environment
            }
        } else {
            origin = .openBLAS
        }
        forced = origin == .environment || l2SizeVariable != nil
        let isa = coreISA.map { " (\($0.displayName))" } ?? ""
        var chosen: String
        switch origin {
        case .openBLAS: chosen = "OpenBLAS's own pick"
        case .dlboard: chosen = "chosen by dlboard (OpenBLAS picked \(openBLASPick ?? "?"))"
        case .environment: chosen = "forced by OPENBLAS_CORETYPE=\(coreTypeVariable ?? "") in your environment"
        }
        if let l2 = l2SizeVariable { chosen += "; OPENBLAS_L2_SIZE=\(l2) in your environment" }
        summary = "\(coreName)\(isa), \(chosen)"

        // Only a kernel whose instruction set is known can be called too narrow.
        guard let coreISA, coreISA < cpu else {
            warning = nil
            return
        }
        let cost =
            cpu == .avx512 && coreISA == .avx2
            ? "sgemm runs at about half speed" : "sgemm runs at a fraction of the CPU's speed"
        let better = BLASKernel.preferredCoreType(flags: flags)
        switch origin {
        case .environment:
            warning =
                "OPENBLAS_CORETYPE=\(coreTypeVariable ?? "") in your environment forces the \(coreISA.displayName) kernel "
                + "\(coreName) on this \(cpu.displayName) CPU: \(cost). Unset it "
                + "(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE dlboard …): dlboard then keeps OpenBLAS's own "
                + "pick or, where that is a fallback, restarts with \(better ?? "a kernel for this CPU")."
        case .openBLAS, .dlboard:
            warning =
                "OpenBLAS runs the \(coreISA.displayName) kernel \(coreName) on this \(cpu.displayName) CPU: \(cost)."
                + (better.map { " Try OPENBLAS_CORETYPE=\($0)." } ?? "")
        }
    }
}
