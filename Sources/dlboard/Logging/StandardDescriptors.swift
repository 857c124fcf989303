import Glibc

/// Keeps descriptors 0–2 taken. Started with one of them closed (`2>&-`), the process would hand that
/// number to the next file it opens — the run record — and every later write to "stderr" (a notice,
/// a warning) would land inside the record as a line of text. Opening /dev/null onto each closed
/// one first (open returns the lowest free descriptor) means no file of ours can ever be 0, 1 or 2.
enum StandardDescriptors {
    static func reserve() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd {
                // Not the lowest free one (cannot happen when fd is free); put it where it belongs.
                dup2(null, fd)
                close(null)
            }
        }
    }
}
