import OptimKit
/// Glorot ("Xavier") uniform initialisation.
///
/// Each weight is drawn from `U(-r, r)` with `r = sqrt(6 / (fanIn + fanOut))`, which
/// keeps the variance of activations and of gradients roughly equal across layers. For
/// a convolution `fanIn = inChannels * k * k` and `fanOut = outChannels * k * k`; for a
/// dense layer they are the input and output widths. This matches the default Xavier
/// initialiser of MXNet (uniform, averaged fans, magnitude 3). Numbers are drawn in
/// storage order from `generator.uniform`, in double precision, then rounded to the
/// layer's scalar type, so Float and Double networks built from one seed agree.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// var w = [Float](repeating: 0, count: 400 * 120)
/// XavierUniform.fill(&w, fanIn: 400, fanOut: 120, generator: &rng)
/// ```
public enum XavierUniform {
    public static func bound(fanIn: Int, fanOut: Int) -> Double {
        (6.0 / Double(fanIn + fanOut)).squareRoot()
    }

    public static func fill<Scalar: LayerScalar>(
        _ weights: inout [Scalar], fanIn: Int, fanOut: Int, generator: inout SeededGenerator
    ) {
        let r = bound(fanIn: fanIn, fanOut: fanOut)
        for i in weights.indices {
            weights[i] = Scalar(generator.uniform(-r, r))
        }
    }
}
