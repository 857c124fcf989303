import Glibc

/// `mkdir -p` with errors a user can act on. Foundation's `createDirectory` reports a file in the way
/// as "The operation could not be completed. (NSCocoaErrorDomain error 512.)"; this names the part of
/// the path that is not a folder, or the system's reason.
enum Folders {
    /// Creates `path` and every missing folder above it (links to folders are followed). Returns
    /// nil, or why it could not: `'<part>' is not a folder` or `'<part>': <strerror>`.
    static func create(_ path: String) -> String? {
        var made = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            made += made.isEmpty && part.isEmpty ? "/" : (made.isEmpty || made == "/" ? "" : "/") + part
            if part.isEmpty || part == "." { continue }
            if mkdir(made, 0o755) != 0 && errno != EEXIST {
                return "'\(made)': \(String(cString: strerror(errno)))"
            }
            var info = stat()
            if stat(made, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR { return "'\(made)' is not a folder" }
        }
        return nil
    }
}
