import OptimKit
extension LayerMath {
    /// `values[i] = LayerMath.exp(values[i])` for every `i`, bit for bit, computed side by
    /// side: the sixteen Taylor steps `p = 1 + p * r / n` are taken for all elements at
    /// once, so their divisions overlap (and run in vector registers) instead of waiting on
    /// each other element after element. Special inputs (NaN, overflow, underflow) go
    /// through the scalar function. No allocation for small counts (a stack buffer).
    ///
    /// ```swift
    /// var row: [Double] = [0, -1, -2]
    /// row.withUnsafeMutableBufferPointer { LayerMath.exp(inPlace: $0.baseAddress!, count: 3) }
    /// ```
    static func exp(inPlace values: UnsafeMutablePointer<Double>, count: Int) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * max(count, 1)) { scratch in
            let r = scratch.baseAddress!, k = r + count
            let ln2Hi = 0.6931471803691238
            let ln2Lo = 1.9082149292705877e-10
            for i in 0..<count {
                let x = values[i]
                // Special values get a harmless stand-in here and their own result below.
                let regular = !x.isNaN && x <= 709.782712893384 && x >= -745.2
                let xi = regular ? x : 0
                let ki = (xi / 0.6931471805599453).rounded(.toNearestOrEven)
                k[i] = ki
                r[i] = (xi - ki * ln2Hi) - ki * ln2Lo
            }
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(count, 1)) { pBuffer in
                let p = pBuffer.baseAddress!
                for i in 0..<count { p[i] = 1 }
                var n = 16.0
                while n >= 1 {
                    for i in 0..<count { p[i] = 1 + p[i] * r[i] / n }
                    n -= 1
                }
                for i in 0..<count {
                    let x = values[i]
                    if x.isNaN || x > 709.782712893384 || x < -745.2 {
                        values[i] = LayerMath.exp(x)
                        continue
                    }
                    let kk = Int(k[i])
                    let half = kk / 2
                    values[i] = p[i] * Double(sign: .plus, exponent: half, significand: 1)
                        * Double(sign: .plus, exponent: kk - half, significand: 1)
                }
            }
        }
    }
}
