/// A row-major Float32 matrix with reference semantics.
///
/// Layers own their output and gradient buffers and reuse them step after step, so a matrix is a
/// class: handing it to the next layer never copies, and writing into it never triggers a hidden
/// copy-on-write. `copy()` is the explicit way to duplicate one (used by forking and by tests).
/// The storage grows to the largest shape it has held and is never shrunk, so switching between
/// a training batch and a larger evaluation chunk does not reallocate every time.
public final class Matrix {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// Start of the storage; valid for `capacity` elements, `count` of them in use.
    public private(set) var pointer: UnsafeMutablePointer<Float>
    private var capacity: Int

    public var count: Int { rows * cols }

    /// A zero-filled matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative")
        self.rows = rows
        self.cols = cols
        self.capacity = max(rows * cols, 1)
        self.pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    /// A matrix holding `values` in row-major order.
    public convenience init(rows: Int, cols: Int, values: [Float]) {
        precondition(
            values.count == rows * cols, "Matrix(\(rows)x\(cols)) needs \(rows * cols) values, got \(values.count)")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    /// A 1×n row vector.
    public convenience init(row values: [Float]) {
        self.init(rows: 1, cols: values.count, values: values)
    }

    deinit { pointer.deallocate() }

    /// Changes the shape in place. Contents are unspecified afterwards unless the element count is
    /// unchanged (then it is a reshape). Reallocates only when the capacity is too small.
    public func resize(rows: Int, cols: Int) {
        let needed = rows * cols
        if needed > capacity {
            pointer.deallocate()
            capacity = needed
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        self.rows = rows
        self.cols = cols
    }

    public subscript(row: Int, col: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
            return pointer[row * cols + col]
        }
        set {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
            pointer[row * cols + col] = newValue
        }
    }

    /// The elements in row-major order, as a new array.
    public var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// The elements in use, for tight loops.
    @inline(__always)
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// An independent copy with the same shape and contents.
    public func copy() -> Matrix {
        let m = Matrix(rows: rows, cols: cols)
        m.pointer.update(from: pointer, count: count)
        return m
    }

    /// Copies shape and contents of `other` into this matrix.
    public func assign(_ other: Matrix) {
        resize(rows: other.rows, cols: other.cols)
        pointer.update(from: other.pointer, count: other.count)
    }

    public func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }

    public var shapeDescription: String { "\(rows)x\(cols)" }
}
