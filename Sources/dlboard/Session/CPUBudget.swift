import CKernels
import Foundation

/// The CPUs lock-step lanes may use: the process's affinity mask (`taskset`, a cpuset), capped by its
/// cgroup's CPU quota (a container's `--cpus`, systemd's `CPUQuota=`).
///
/// The two limit different things. The mask says *which* CPUs the threads may run on; the quota how
/// much CPU time they get in all, on any of them. So the lane count is the smaller of the two, and
/// lanes are pinned only when the quota does not bind: with 2 CPUs of quota on a 64-CPU mask, two
/// floating lanes go wherever the kernel finds room, while two pinned ones could use only the CPUs
/// they were given, however busy.
struct CPUBudget: Equatable, Sendable {
    /// The CPUs of the affinity mask, ascending (empty: it could not be read).
    var allowed: [Int]
    /// The quota in CPUs (quota / period); nil when there is none or it could not be read.
    var quota: Double?

    /// One lane per CPU the process can keep busy at once: the mask's size, capped by the quota
    /// rounded down (a lane on a fraction of a CPU would be throttled in every period and hold up
    /// the chunk's barrier), at least 1.
    var lanes: Int {
        let cpus = max(1, allowed.count)
        guard let quota else { return cpus }
        return max(1, min(cpus, Int(quota.rounded(.down))))
    }

    /// The CPUs to pin lanes to, one each (`LaneWorkers`): the mask, unless the quota is below it.
    var pinnable: [Int] {
        if let quota, quota < Double(allowed.count) { return [] }
        return allowed
    }

    /// This process's, read once.
    static let current = CPUBudget(
        allowed: allowedCPUs(), quota: cgroupQuota { try? String(contentsOfFile: $0, encoding: .utf8) })

    static func allowedCPUs() -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let n = Int(dlboard_allowed_cpus(&cpus, Int32(cpus.count)))
        return cpus.prefix(min(n, cpus.count)).map(Int.init)
    }

    /// The tightest CPU quota on the way from the process's cgroup up to the hierarchy's root
    /// (cgroup v2's `cpu.max`, v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`), through `read`, which
    /// returns a file's text or nil. The directories tried are the cgroup's path under the usual
    /// mount points and each parent; in a container whose cgroup namespace shows the host's path,
    /// the path is missing under the mount and the walk reaches the container's own root.
    static func cgroupQuota(read: (String) -> String?) -> Double? {
        guard let membership = read("/proc/self/cgroup") else { return nil }
        var quotas: [Double] = []
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            let path = String(fields[2])
            if fields[0] == "0" && controllers.isEmpty {
                for dir in directories(under: "/sys/fs/cgroup", path) {
                    if let q = read(dir + "/cpu.max").flatMap(quota(cpuMax:)) { quotas.append(q) }
                }
            } else if controllers.contains("cpu") {
                for mount in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpuacct,cpu"] {
                    for dir in directories(under: mount, path) {
                        guard let q = read(dir + "/cpu.cfs_quota_us"), let p = read(dir + "/cpu.cfs_period_us")
                        else { continue }
                        if let value = quota(cfsQuota: q, period: p) { quotas.append(value) }
                    }
                }
            }
        }
        return quotas.min()
    }

    /// `mount` + `path` and each of its parents up to `mount` itself.
    static func directories(under mount: String, _ path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var dirs: [String] = []
        while true {
            dirs.append(([mount] + parts).joined(separator: "/"))
            guard !parts.isEmpty else { return dirs }
            parts.removeLast()
        }
    }

    /// cgroup v2's `cpu.max`: "max 100000" (none) or "200000 100000" (2 CPUs).
    static func quota(cpuMax text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0
        else { return nil }
        return quota / period
    }

    /// cgroup v1's quota and period files (microseconds; a quota of -1 is none).
    static func quota(cfsQuota: String, period: String) -> Double? {
        guard let q = Double(cfsQuota.trimmingCharacters(in: .whitespacesAndNewlines)),
            let p = Double(period.trimmingCharacters(in: .whitespacesAndNewlines)), q > 0, p > 0
        else { return nil }
        return q / p
    }
}
