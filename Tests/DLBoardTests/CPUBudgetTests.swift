import Foundation
import Testing

@testable import dlboard

/// Lock-step lanes from the affinity mask capped by the cgroup quota, and pinning only where the
/// quota does not bind, never two lanes to one CPU.
@Suite struct CPUBudgetTests {
    @Test func lanesAreTheMaskCappedByTheQuotaRoundedDown() {
        #expect(CPUBudget(allowed: Array(0..<64), quota: nil).lanes == 64)
        #expect(CPUBudget(allowed: Array(0..<64), quota: 2).lanes == 2)
        #expect(CPUBudget(allowed: Array(0..<64), quota: 2.5).lanes == 2)
        #expect(CPUBudget(allowed: Array(0..<64), quota: 0.5).lanes == 1)
        #expect(CPUBudget(allowed: [3, 7], quota: 16).lanes == 2, "the mask below the quota")
        #expect(CPUBudget(allowed: [], quota: nil).lanes == 1, "an unreadable mask")
    }

    @Test func lanesArePinnedOnlyWhenTheQuotaDoesNotBind() {
        #expect(CPUBudget(allowed: [3, 7], quota: nil).pinnable == [3, 7])
        #expect(CPUBudget(allowed: [3, 7], quota: 2).pinnable == [3, 7])
        #expect(CPUBudget(allowed: Array(0..<64), quota: 2).pinnable == [], "2 CPUs of time on any of 64")
    }

    @Test func workersBeyondThePinnableCPUsFloat() {
        let cpu = CPUBudget.allowedCPUs().first ?? 0
        let workers = LaneWorkers(count: 3, pinningTo: [cpu])
        defer { workers.stop() }
        #expect(workers.pinnedCPUs == [cpu, nil, nil])
    }

    @Test func quotaFilesParse() {
        #expect(CPUBudget.quota(cpuMax: "max 100000\n") == nil)
        #expect(CPUBudget.quota(cpuMax: "200000 100000\n") == 2)
        #expect(CPUBudget.quota(cpuMax: "150000 100000") == 1.5)
        #expect(CPUBudget.quota(cfsQuota: "-1\n", period: "100000\n") == nil)
        #expect(CPUBudget.quota(cfsQuota: "50000\n", period: "100000\n") == 0.5)
    }

    /// The tightest quota from the process's cgroup up to the root, v2 and v1, and a container's
    /// own root when the host's path is not under the mount.
    @Test func theTightestQuotaOnThePathToTheRoot() {
        let v2: [String: String] = [
            "/proc/self/cgroup": "0::/user.slice/job\n",
            "/sys/fs/cgroup/cpu.max": "max 100000\n",
            "/sys/fs/cgroup/user.slice/cpu.max": "400000 100000\n",
            "/sys/fs/cgroup/user.slice/job/cpu.max": "max 100000\n",
        ]
        #expect(CPUBudget.cgroupQuota { v2[$0] } == 4)
        let v1: [String: String] = [
            "/proc/self/cgroup": "5:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "150000\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
        ]
        #expect(CPUBudget.cgroupQuota { v1[$0] } == 1.5, "the container's root, its host path not mounted")
        let none: [String: String] = [
            "/proc/self/cgroup": "1:cpu:/\n0::/\n",
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
        ]
        #expect(CPUBudget.cgroupQuota { none[$0] } == nil)
        #expect(CPUBudget.cgroupQuota { _ in nil } == nil)
    }
}
