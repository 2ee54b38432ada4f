/// A bowl with a cliff in it: the one-dimensional cross-section of the "exploding gradient"
/// landscape of recurrent networks (Pascanu, Mikolov and Bengio, 2013; Goodfellow et al.,
/// *Deep Learning*, §8.2.4).
///
///     f(x) = ½ (x − m)² + h · S((x − c) / w),   S = smoothstep from 0 (z ≤ −1) to 1 (z ≥ 1),
///     S(z) = 3t² − 2t³ with t = (z + 1)/2 on −1 < z < 1.
///
/// Left of the wall the bowl pulls x towards m; on the wall, `c − w < x < c + w`, the
/// function rises by `h` over a width of `2w`, so its slope reaches `0.75 h / w` at `x = c`,
/// far more than anywhere else. A gradient step taken on the wall's face is that many times
/// longer than the steps before it: the iterate is thrown back across the bowl. With
/// `m` beyond the wall, the lowest point is at the wall's foot (near `c − w`).
///
/// Only multiplications and additions are used, so runs are bit-identical on every
/// platform. f is continuously differentiable; f'' jumps at the two edges of the wall.
///
/// - `bowlMinimum` m: default 2. `height` h: default 20. `position` c: default 1.
///   `halfWidth` w: default 0.2 (slope up to 75 on the wall, against 1.2 at its foot).
///
/// ```swift
/// let f = Objective1D.cliff()
/// f.derivative(0.5)   // -1.5: the bowl pulls right
/// f.derivative(1.0)   //  74: the wall pushes back hard
/// ```
extension Objective1D {
    public static func cliff(bowlMinimum m: Double = 2, height h: Double = 20, position c: Double = 1,
                             halfWidth w: Double = 0.2) -> Objective1D {
        requireValid(h > 0 && w > 0, "cliff: height and halfWidth must be positive")
        /// Position across the wall, t in [0, 1]: 0 at and below its foot, 1 at and above its top.
        @Sendable func across(_ x: Double) -> Double { min(1, max(0, ((x - c) / w + 1) / 2)) }
        return Objective1D(
            name: "cliff",
            value: { x in
                let t = across(x)
                return 0.5 * (x - m) * (x - m) + h * (t * t * (3 - 2 * t))
            },
            derivative: { x in
                let t = across(x)
                return (x - m) + h * (6 * t * (1 - t)) / (2 * w)
            },
            secondDerivative: { x in
                let z = (x - c) / w
                guard z > -1 && z < 1 else { return 1 }
                let t = (z + 1) / 2
                return 1 + h * (6 - 12 * t) / (4 * w * w)
            },
            minimizer: nil)
    }
}
