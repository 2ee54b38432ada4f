/// Two-sided 95 % critical values of Student's t distribution, from a small built-in table.
///
/// `t` such that `P(|T_ν| > t) = 0.05` for `T_ν` with `ν` degrees of freedom. The table holds
/// ν = 1 … 30, 40, 60, 120 and ∞ (the normal value 1.960), printed to three decimals as in
/// every statistics textbook. A fractional ν (Welch–Satterthwaite) or a ν between tabulated
/// rows uses the nearest tabulated ν *below* it (within 1e-9), whose critical value is larger: the test is
/// then slightly conservative, never lenient.
///
/// ```swift
/// StudentT.criticalValue95(degreesOfFreedom: 2)     // 4.303
/// StudentT.criticalValue95(degreesOfFreedom: 4.7)   // 2.776 (the row for ν = 4)
/// ```
public enum StudentT {
    /// `(ν, t₀.₉₇₅(ν))`, ν increasing.
    static let table: [(degreesOfFreedom: Double, value: Double)] = [
        (1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447), (7, 2.365),
        (8, 2.306), (9, 2.262), (10, 2.228), (11, 2.201), (12, 2.179), (13, 2.160), (14, 2.145),
        (15, 2.131), (16, 2.120), (17, 2.110), (18, 2.101), (19, 2.093), (20, 2.086), (21, 2.080),
        (22, 2.074), (23, 2.069), (24, 2.064), (25, 2.060), (26, 2.056), (27, 2.052), (28, 2.048),
        (29, 2.045), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (.infinity, 1.960),
    ]

    /// The two-sided 95 % critical value for `degreesOfFreedom` ≥ 1 (NaN or < 1 is misuse).
    public static func criticalValue95(degreesOfFreedom: Double) -> Double {
        if !(degreesOfFreedom >= 1) {
            misuse("StudentT: degrees of freedom must be at least 1, got \(degreesOfFreedom)")
        }
        var value = table[0].value
        // The tolerance keeps a ν that rounding left a hair below an integer on that integer's row.
        for row in table where row.degreesOfFreedom <= degreesOfFreedom + 1e-9 { value = row.value }
        return value
    }
}
