import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The closing exercises of 11.1, each with a worked answer that computes what can be computed.
extension OptimizationAndDeepLearningChapter {
    static func exercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Exercises")
        hiddenUnitSymmetry(nb, ctx)
        symmetricEigenvalues(nb)
        otherChallenges(nb)
        ballOnSaddle(nb, ctx)
    }

    /// All orderings of 0..<n (Heap's algorithm order is irrelevant: only the count and the
    /// outputs are reported).
    static func permutations(_ n: Int) -> [[Int]] {
        if n == 0 { return [[]] }
        return permutations(n - 1).flatMap { p in (0...p.count).map { k in Array(p[..<k]) + [n - 1] + Array(p[k...]) } }
    }

    static func hiddenUnitSymmetry(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            1. Take a network with one hidden layer of d units and a single output. Show that every \
            local minimum of its loss comes with at least d! parameter settings, the minimum \
            itself among them, that compute exactly the same function and are all local minima.
            """)
        nb.heading("Answer", level: 4)
        let d = 4, inputs = 3, samples = 5
        var rng = ctx.generator(stream: "hidden-unit-symmetry")
        let w = (0..<d).map { _ in rng.normals(inputs) }     // hidden weights, one row per unit
        let b = rng.normals(d), v = rng.normals(d), c = rng.normal()
        let xs = (0..<samples).map { _ in rng.normals(inputs) }
        func output(_ w: [[Double]], _ b: [Double], _ v: [Double], _ x: [Double]) -> Double {
            var o = c
            for j in 0..<d {
                var a = b[j]
                for k in 0..<inputs { a += w[j][k] * x[k] }
                o += v[j] * Foundation.tanh(a)
            }
            return o
        }
        let reference = xs.map { output(w, b, v, $0) }
        var settings = Set<[Double]>()
        var largest = 0.0
        for p in permutations(d) {
            for signs in 0..<(1 << d) {
                // Permute the units, and flip the sign of unit j's incoming and outgoing weights
                // when bit j is set (tanh is odd, so v tanh(a) = (−v) tanh(−a)).
                let s = (0..<d).map { (signs >> $0) & 1 == 1 ? -1.0 : 1.0 }
                let w2 = (0..<d).map { j in w[p[j]].map { s[j] * $0 } }
                let b2 = (0..<d).map { j in s[j] * b[p[j]] }
                let v2 = (0..<d).map { j in s[j] * v[p[j]] }
                settings.insert(w2.flatMap { $0 } + b2 + v2)
                for (x, y) in zip(xs, reference) { largest = max(largest, abs(output(w2, b2, v2, x) - y)) }
            }
        }
        nb.paragraph("""
            Write the network as o(x) = c + Σⱼ vⱼ σ(wⱼᵀx + bⱼ). Relabelling the hidden units by a \
            permutation π, i.e. moving (wⱼ, bⱼ, vⱼ) to position π(j), only reorders the terms of the \
            sum, so the new parameters compute the same o(x) for every input, and the loss, which \
            sees the parameters only through o, takes the same value. The relabelling is a linear \
            map of parameter space that preserves distances, so it carries a neighbourhood of a \
            local minimum onto a neighbourhood of its image with the same loss values: the image is \
            a local minimum as well. There are d! permutations, and when the units have distinct \
            weights (the generic case) they give d! distinct parameter vectors. For an odd \
            activation such as tanh there are even more: flipping the signs of wⱼ, bⱼ and vⱼ \
            together leaves vⱼ tanh(wⱼᵀx + bⱼ) unchanged, for another factor 2^d. We check both on \
            a random network with d = \(d) hidden tanh units and \(inputs) inputs (stream \
            `hidden-unit-symmetry`), at \(samples) random inputs:
            """)
        nb.output("\(settings.count) distinct parameter vectors (d! * 2^d = \(permutations(d).count) * \(1 << d)); largest output difference from the original: \(largest, format: "%.1e")")
        nb.paragraph("""
            The differences are rounding only (the sum is added up in another order). So a loss \
            surface of a network never has a unique global minimum: every good solution \
            comes in a finite family of copies (each copy can still be isolated; a continuous family \
            needs a continuous symmetry, such as rescaling the weights around a ReLU, which tanh lacks), which is one reason why "the" minimum of a network is not a \
            meaningful object and why different runs end at different weights with the same loss.
            """)
    }

    /// Counts of positive, negative and zero eigenvalues over every symmetric k × k matrix with
    /// entries in {−1, 0, 1}.
    static func eigenvalueSigns(_ k: Int) -> (positive: Int, negative: Int, zero: Int, matrices: Int) {
        let slots = k * (k + 1) / 2
        var total = 1
        for _ in 0..<slots { total *= 3 }
        var positive = 0, negative = 0, zero = 0
        for code in 0..<total {
            var rest = code
            var m = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for i in 0..<k {
                for j in i..<k {
                    let entry = Double(rest % 3 - 1)
                    rest /= 3
                    m[i][j] = entry; m[j][i] = entry
                }
            }
            for lambda in SymmetricEigenvalues.of(m) {
                if abs(lambda) < 1e-9 { zero += 1 } else if lambda > 0 { positive += 1 } else { negative += 1 }
            }
        }
        return (positive, negative, zero, total)
    }

    static func symmetricEigenvalues(_ nb: Notebook) {
        nb.paragraph("""
            2. Let M be a random symmetric matrix whose entries Mᵢⱼ = Mⱼᵢ are drawn from \
            distributions that are symmetric about 0, pᵢⱼ(x) = pᵢⱼ(−x). Show that an eigenvalue \
            picked at random is as likely to be positive as negative. Why does that not make the \
            probability of a positive eigenvalue exactly 1/2? And why is the chance that *all* \
            eigenvalues are positive not 2⁻ᵏ?
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            Because every entry's distribution is symmetric, −M has the same distribution as M. The \
            eigenvalues of −M are those of M with their signs flipped, so the number of positive \
            eigenvalues of M has the same distribution as the number of negative ones, and an \
            eigenvalue picked uniformly from the k has P(λ > 0) = P(λ < 0). That makes each of them \
            1/2 only if P(λ = 0) = 0. Nothing forces that: when the entries have an atom at 0, or \
            any discrete distribution, singular matrices occur with positive probability. We \
            enumerate every symmetric matrix with entries drawn uniformly from {−1, 0, 1}:
            """)
        for k in [2, 3] {
            let counts = eigenvalueSigns(k)
            let all = Double(counts.positive + counts.negative + counts.zero)
            nb.output("k = \(k): \(counts.matrices) matrices, P(lambda > 0) = \(Double(counts.positive) / all, format: "%.4f"), P(lambda < 0) = \(Double(counts.negative) / all, format: "%.4f"), P(lambda = 0) = \(Double(counts.zero) / all, format: "%.4f")")
        }
        nb.paragraph("""
            The positive and negative shares are equal and both fall short of 1/2 by half the mass at \
            zero. The third question is about dependence: the k eigenvalues of one matrix are not \
            independent (they repel each other), so the probability that all of them are positive \
            is not the product of k halves. The table in [the second-order test](#the-second-order-test) \
            shows it falling much faster than 2⁻ᵏ.
            """)
    }

    static func otherChallenges(_ nb: Notebook) {
        nb.paragraph("3. Which other difficulties of optimizing deep networks can you name?")
        nb.heading("Answer", level: 4)
        var x = 0.0
        var checkpoints: [NotebookText] = []
        let f = { (x: Double) in Foundation.log(1 + Foundation.exp(-x)) }
        for step in 1...10_000 {
            x += 1 / (1 + Foundation.exp(x))           // x − f'(x) with η = 1
            if [10, 100, 1000, 10_000].contains(step) {
                checkpoints.append("\(step) steps: x = \(x, format: "%.3f"), f = \(f(x), format: "%.2e")")
            }
        }
        nb.paragraph("""
            Several, and the following sections take them on one by one. *Poor conditioning*: \
            curvatures that differ by orders of magnitude between directions force a step size \
            that suits the steepest direction and crawls along the flattest \
            ([preconditioning in 11.3](../Ch11_3_GradientDescent/README.md#preconditioning), and \
            momentum in 11.6). *Exploding gradients*: a steep cliff in the loss (deep or recurrent \
            networks multiply many Jacobians) produces one huge gradient that throws the iterate \
            far away; clipping the gradient norm, a projection onto a ball as \
            [11.2](../Ch11_2_Convexity/README.md#projections) explains, is the standard cure. \
            *Gradient noise*: minibatch gradients are noisy, so the learning rate has to be \
            scheduled ([11.4](../Ch11_4_SGD/README.md#1142-dynamic-learning-rate)). *No critical \
            point at all*: the logistic loss f(x) = log(1 + e^(−x)) of a correctly classified \
            example keeps falling as x grows and never reaches its infimum 0, so gradient descent \
            (η = 1, from 0) never stops moving, only slows down:
            """)
        for line in checkpoints { nb.output(line) }
        nb.paragraph("""
            The weights grow like log t without bound, which is why classifiers on separable data \
            need regularization or early stopping. Add to these plateaus where the loss barely \
            changes for many steps, sensitivity to the initial point, and the sheer cost of every \
            gradient on large data sets, which 11.5 addresses with minibatches.
            """)
    }

    static func ballOnSaddle(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            4. Why is it hard to balance a real ball on a real saddle? Can an optimization \
            algorithm make use of the same effect?
            """)
        nb.heading("Answer", level: 4)
        let f = Objective2D.saddle
        let eta = 0.1, budget = 1000
        let exact = train2D(optimizer: SGD(learningRate: eta), objective: f, steps: budget, start: Point2D(-1, 0))
        let end = exact.final
        let runs = 20, sigma = 1e-3
        var escapes: [Int] = []
        var rng = ctx.generator(stream: "perturbed-saddle")
        for _ in 0..<runs {
            var p = Point2D(-1, 0)
            var escaped = budget + 1
            for step in 1...budget {
                p = p - eta * f.gradient(p) + Point2D(sigma * rng.normal(), sigma * rng.normal())
                if abs(p.y) >= 1 { escaped = step; break }
            }
            escapes.append(escaped)
        }
        let sorted = escapes.sorted()
        let median = Double(sorted[runs / 2 - 1] + sorted[runs / 2]) / 2
        nb.paragraph("""
            The balance point of a saddle is an equilibrium, but an unstable one: along the \
            direction in which the saddle curves down, any displacement, however small, produces a \
            force that increases it. A real ball is never placed exactly and is always nudged \
            (vibration, air), so the displacement grows until the ball rolls off. Gradient descent \
            behaves the same way: on x₁² − x₂² the unstable coordinate is multiplied by \
            1 + 2η = \(CFormat.format("%g", 1 + 2 * eta)) per step. The instability is only useful if \
            something starts it. From exactly (−1, 0), plain gradient descent with η = \(CFormat.format("%g", eta)) \
            keeps x₂ = 0 forever and converges to the saddle:
            """)
        let g = f.gradient(end)
        nb.output("after \(budget) steps from (-1, 0): x = (\(end.x, format: "%.2e"), \(end.y, format: "%g")), |grad f| = \((g.x * g.x + g.y * g.y).squareRoot(), format: "%.2e")")
        nb.paragraph("""
            Adding a little noise to every step, here N(0, σ²) with σ = \(CFormat.format("%g", sigma)) per \
            coordinate (stream `perturbed-saddle`), is enough: the first step with |x₂| ≥ 1 over \
            \(runs) runs is
            """)
        nb.output("median \(median, format: "%g"), range \(sorted[0])-\(sorted[runs - 1]) steps")
        nb.paragraph("""
            This is exactly the effect an optimizer can exploit: perturbed gradient descent adds \
            noise when the gradient is small precisely to leave saddles, and the noise of \
            stochastic gradients does it for free. Methods that rescale small gradients \
            (RMSProp, Adam) leave even faster, as [the race above](#escaping-a-saddle-four-optimizers-compared) \
            shows.
            """)
    }
}
