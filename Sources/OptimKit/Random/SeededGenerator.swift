/// The project's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Every random number in OptimBook comes from here, so a run is reproduced bit for bit
/// on every operating system and in every build configuration. Only integer arithmetic,
/// IEEE-exact operations (`+ - * /`, `squareRoot()`) and the project's own `Deterministic.log`
/// are used: the platform's `log`/`cos` may differ in the last bit between libm versions.
///
/// - `uniform()` returns a `Double` in [0, 1) with 53 random bits.
/// - `normal(mean:standardDeviation:)` uses Marsaglia's polar method.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = rng.uniform()          // 0 <= u < 1
/// let z = rng.normal()           // standard normal
/// let i = rng.integer(below: 10) // 0...9, unbiased
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The polar method makes normals in pairs; the second one waits here.
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    @inlinable
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = SeededGenerator.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = SeededGenerator.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1), 53 bits of randomness.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// An unbiased integer in 0..<bound (Lemire's method with rejection).
    public mutating func integer(below bound: Int) -> Int {
        if bound <= 0 { misuse("SeededGenerator.integer(below:): bound must be positive, got \(bound)") }
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A normal sample (Marsaglia's polar method).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return mean + standardDeviation * z
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * Deterministic.log(s) / s).squareRoot()
                spareNormal = v * factor
                return mean + standardDeviation * (u * factor)
            }
        }
    }

    /// `count` independent normal samples.
    public mutating func normals(_ count: Int, mean: Double = 0, standardDeviation: Double = 1) -> [Double] {
        (0..<count).map { _ in normal(mean: mean, standardDeviation: standardDeviation) }
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        if count < 2 { return p }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            p.swapAt(i, j)
        }
        return p
    }

    /// Shuffles `array` in place (Fisher–Yates), reproducibly.
    public mutating func shuffle<T>(_ array: inout [T]) {
        if array.count < 2 { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }
}

/// Elementary functions computed with IEEE-exact arithmetic only, so their results do
/// not depend on the platform's libm. Used where randomness is generated.
public enum Deterministic {
    /// Natural logarithm for finite positive `x`, accurate to about 1 ulp.
    ///
    /// `x = m * 2^e` with `m` in [sqrt(1/2), sqrt(2)); `log m = 2 atanh(z)`, `z = (m-1)/(m+1)`,
    /// summed as an odd series (|z| <= 0.1716, so 12 terms reach double precision).
    public static func log(_ x: Double) -> Double {
        if !(x > 0 && x.isFinite) { misuse("Deterministic.log: needs a finite positive argument, got \(x)") }
        var m = x.significand          // [1, 2)
        var e = Double(x.exponent)
        if m > 1.4142135623730951 { m *= 0.5; e += 1 }
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= z2
            k += 2
        }
        let ln2Hi = 0.6931471803691238   // high bits of ln 2 (exact in 32 bits)
        let ln2Lo = 1.9082149292705877e-10
        return e * ln2Hi + (2 * sum + e * ln2Lo)
    }
}
