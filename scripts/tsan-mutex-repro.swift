// Minimal program showing ThreadSanitizer reporting "Swift access race" on Synchronization.Mutex
// under contention on Linux (Swift 6.3.1): the lock hands over through a futex the sanitizer does not
// see, so it misses the happens-before. Nothing but the Mutex is shared here.
//   swiftc -sanitize=thread -swift-version 6 -module-name repro scripts/tsan-mutex-repro.swift -o /tmp/repro && /tmp/repro
import Synchronization
import Foundation
final class Box: Sendable { let m = Mutex<[Int]>([]) }
let b = Box()
let t = Thread { for i in 0..<200000 { b.m.withLock { $0.append(i); if $0.count > 100 { $0.removeAll(keepingCapacity: true) } } } }
t.start()
for _ in 0..<200000 { _ = b.m.withLock { x -> Int in let c = x.count; x.removeAll(keepingCapacity: true); return c } }
sleep(1)
print("done")
