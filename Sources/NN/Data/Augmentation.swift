import CKernels
import Foundation

/// Random changes to each training image, drawn afresh for every batch: the "get more data" remedy
/// for overfitting, beside weight decay and Dropout. Any subset of
///
/// - `shift` k: a translation by a random whole number of pixels in −k…k, across and down
///   independently; what comes in at the edges is 0 (the background);
/// - `rotate` d: a rotation by a random angle in −d…d degrees about the image centre, resampled
///   bilinearly (nearest-pixel would jag a stroke two pixels wide), with 0 outside the image;
/// - `noise` s: noise of standard deviation s (in units of the pixel range, 1 = black to white)
///   added to every pixel, then clipped to the pixel range 0…1.
///
/// Written `shift:2,rotate:10,noise:0.1` (`+` may join the parts as well, as `compare --augments`
/// needs, whose list is comma-separated), or `none`. No horizontal flip: a flipped 2 is no digit.
///
/// Augmentation works on unit pixels (byte / 255), before the input scaling, so a shifted-in pixel
/// is background in every scaling and the noise is the same fraction of the range in each. It only
/// ever touches training batches; evaluation (train accuracy, validation, test) sees the images as
/// they are.
///
/// Deterministic and shared: the changes to the sample at position p of a run's stream of drawn
/// samples come from a generator seeded by (seed, p) alone — not from a stream shared with the
/// weights, the batches or Dropout — so every run of a lock-step comparison sees batch k augmented
/// the same way, whatever else differs, and a batch-size switch does not change what a sample gets.
public struct Augmentation: Sendable, Hashable {
    /// Largest translation, in pixels (0: none).
    public var shift: Int
    /// Largest rotation, in degrees (0: none).
    public var rotate: Float
    /// Standard deviation of the added noise, in units of the pixel range (0: none).
    public var noise: Float

    public init(shift: Int = 0, rotate: Float = 0, noise: Float = 0) {
        self.shift = shift
        self.rotate = rotate
        self.noise = noise
    }

    public static let none = Augmentation()
    /// What the dashboard's key switches on when the run was configured without augmentation.
    public static let defaultOn = Augmentation(shift: 2)

    public var isNone: Bool { shift == 0 && rotate == 0 && noise == 0 }
    /// Whether it moves pixels (and so needs the images' width and height).
    public var isGeometric: Bool { shift > 0 || rotate > 0 }

    /// Largest values `validate()` accepts: a shift of 100 pixels or a half turn already leaves
    /// nothing of a digit, noise of 1 buries it.
    public static let maximumShift = 100
    public static let maximumRotation: Float = 180
    public static let maximumNoise: Float = 1

    /// Parses `none` or parts `shift:K`, `rotate:D`, `noise:S` joined by `,` or `+` (each at most
    /// once). The ranges are checked by `validate()`, which names the setting.
    public init?(argument: String) {
        let text = argument.lowercased().trimmingCharacters(in: .whitespaces)
        if text == "none" {
            self = .none
            return
        }
        var a = Augmentation()
        var seen: Set<String> = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == "+" }) {
            let kv = part.split(separator: ":", omittingEmptySubsequences: false)
            guard kv.count == 2, seen.insert(String(kv[0])).inserted else { return nil }
            let value = String(kv[1])
            switch kv[0] {
            case "shift":
                guard let k = Int(value) else { return nil }
                a.shift = k
            case "rotate":
                guard let d = Float(value) else { return nil }
                a.rotate = d
            case "noise":
                guard let s = Float(value) else { return nil }
                a.noise = s
            default:
                return nil
            }
        }
        guard !seen.isEmpty else { return nil }
        self = a
    }

    /// As the command line and records write it: `none`, or the non-zero parts joined by `+` (so a
    /// value reads back the same from a flag, a `compare` list or an event).
    public var argument: String {
        var parts: [String] = []
        if shift != 0 { parts.append("shift:\(shift)") }
        if rotate != 0 { parts.append("rotate:\(Self.number(rotate))") }
        if noise != 0 { parts.append("noise:\(Self.number(noise))") }
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }

    /// `shift ±2 rotate ±10° noise 0.1`, or `no augmentation`.
    public var displayName: String {
        var parts: [String] = []
        if shift != 0 { parts.append("shift ±\(shift)") }
        if rotate != 0 { parts.append("rotate ±\(Self.number(rotate))°") }
        if noise != 0 { parts.append("noise \(Self.number(noise))") }
        return parts.isEmpty ? "no augmentation" : parts.joined(separator: " ")
    }

    private static func number(_ v: Float) -> String {
        v == v.rounded() && abs(v) < 1e7 ? String(Int(v)) : "\(v)"
    }

    public func validate() throws(ConfigError) {
        if !(0...Self.maximumShift).contains(shift) {
            throw ConfigError(.augmentation, "shift must be in 0…\(Self.maximumShift) pixels, got \(shift)")
        }
        if !(rotate >= 0 && rotate <= Self.maximumRotation) {
            throw ConfigError(
                .augmentation, "rotate must be in 0…\(Self.number(Self.maximumRotation)) degrees, got \(rotate)")
        }
        if !(noise >= 0 && noise <= Self.maximumNoise) {
            throw ConfigError(.augmentation, "noise must be in 0…\(Self.number(Self.maximumNoise)), got \(noise)")
        }
    }

    /// What the sample at stream position `position` of a run seeded `seed` gets: the shift across
    /// and down, the angle in radians and the noise's key.
    public struct Draw: Sendable, Equatable {
        public var dx: Int
        public var dy: Int
        public var angle: Float
        public var noiseKey: UInt32
    }

    public func draw(seed: UInt64, position: Int) -> Draw {
        // A generator per sample, seeded by (seed, position) through SeededGenerator's SplitMix64:
        // nothing drawn elsewhere can move these numbers.
        var g = SeededGenerator(
            seed: (seed ^ Self.streamKey) &+ UInt64(truncatingIfNeeded: position) &* 0x9E37_79B9_7F4A_7C15)
        let span = 2 * shift + 1
        let dx = shift > 0 ? g.nextInt(below: span) - shift : 0
        let dy = shift > 0 ? g.nextInt(below: span) - shift : 0
        let angle = rotate > 0 ? (2 * g.nextUniform() - 1) * rotate * .pi / 180 : 0
        return Draw(dx: dx, dy: dy, angle: angle, noiseKey: UInt32(truncatingIfNeeded: g.next()))
    }

    private static let streamKey: UInt64 = {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the stream's name
        for b in "augmentations".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }()

    /// Augments a batch of unit pixels in place: row r is the sample at stream position
    /// `firstPosition + r`, an image of `width` pixels a row. `scratch` is reused between calls.
    public func apply(to x: Matrix, width: Int, seed: UInt64, firstPosition: Int, scratch: inout [Float]) {
        guard !isNone, x.count > 0 else { return }
        let d = x.cols
        precondition(width > 0 && d % width == 0, "image width \(width) does not divide \(d) pixels")
        let height = d / width
        if scratch.count < d { scratch = [Float](repeating: 0, count: d) }
        scratch.withUnsafeMutableBufferPointer { tmp in
            let t = tmp.baseAddress!
            for r in 0..<x.rows {
                let image = x.pointer + r * d
                let p = draw(seed: seed, position: firstPosition + r)
                if p.angle != 0 {
                    Self.warp(image, into: t, width: width, height: height, dx: p.dx, dy: p.dy, angle: p.angle)
                    image.update(from: t, count: d)
                } else if p.dx != 0 || p.dy != 0 {
                    Self.shift(image, into: t, width: width, height: height, dx: p.dx, dy: p.dy)
                    image.update(from: t, count: d)
                }
                if noise > 0 { dlboard_add_noise(image, d, p.noiseKey, noise, 0, 1) }
            }
        }
    }

    /// `src` moved `dx` pixels right and `dy` down, 0 coming in at the edges.
    public static func shift(
        _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, width: Int, height: Int, dx: Int, dy: Int
    ) {
        dlboard_shift_image(src, dst, width, height, dx, dy)
    }

    /// `src` rotated by `angle` radians about its centre, then moved (dx, dy), bilinearly.
    public static func warp(
        _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, width: Int, height: Int, dx: Int, dy: Int,
        angle: Float
    ) {
        dlboard_warp_image(src, dst, width, height, Float(dx), Float(dy), Foundation.cos(angle), Foundation.sin(angle))
    }
}

extension Augmentation: ArgumentSpelled {
    public static var spelledKind: String { "augmentation" }
}
