import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The book's five exercises for 11.4 and one from the lecture decks, with worked answers.
extension SGDChapter {
    static func exercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Exercises")
        nb.paragraph("Exercises 1 to 5 restate the book's; 6 comes from the lecture decks.")
        let f4 = { (v: Double) in CFormat.format("%.4f", v) }

        // 1
        nb.paragraph("""
            1. Try different learning-rate schedules and numbers of iterations for SGD. In \
            particular, plot the distance from the optimum (0, 0) against the number of iterations.
            """)
        nb.heading("Answer", level: 4)
        let curves = distanceCurves(ctx, repeats: 200, steps: 1000)
        nb.paragraph("""
            [Distance to the optimum](#beyond-the-book-distance-to-the-optimum-exercise-1) above \
            does this for the three schedules of the section over 1000 updates, averaged over 200 \
            runs. In short: the constant rate stalls at its noise floor \
            (root-mean-square distance \(f4(curves[0].rms[1000])) at t = 1000), the exponential rate \
            freezes far away (\(f4(curves[1].rms[1000]))), and the polynomial rate η_t ∝ 1/√t keeps \
            improving (\(f4(curves[2].rms[1000]))). Running more iterations changes only the last: \
            the constant and exponential runs stay where they are, which is the point of the \
            convergence analysis. The chapter's own seed can be changed with `--seed` to check that \
            none of this depends on one draw of the noise.
            """)

        // 2
        var rng = ctx.generator(stream: "noise-as-data")
        let draws = 100_000
        var sum = Point2D(0, 0), sumSquares = Point2D(0, 0)
        let w = Point2D(0.7, -0.3)
        for _ in 0..<draws {
            let x = Point2D(0.5 * rng.normal(), 0.25 * rng.normal())      // N(0, 1/4) and N(0, 1/16)
            let gradient = Point2D(2 * (w.x - x.x), 4 * (w.y - x.y))        // ∇_w of (x1 − w1)² + 2(x2 − w2)²
            let noise = gradient - objective.gradient(w)
            sum += noise
            sumSquares += noise * noise
        }
        let mean = sum / Double(draws), variance = sumSquares / Double(draws) - mean * mean
        nb.paragraph("""
            2. Show that for f(x) = x₁² + 2x₂², adding normal noise to the gradient is the same as \
            minimizing the loss l(x, w) = (x₁ − w₁)² + 2(x₂ − w₂)² with x drawn from a normal \
            distribution. What are the mean and variance of that distribution? Show that the same \
            holds for any f(x) = ½(x − μ)ᵀQ(x − μ) with Q ⪰ 0.
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            [Stochastic gradients and finite samples](#1144-stochastic-gradients-and-finite-samples) \
            derives it: the gradient of l with respect to w is (2w₁, 4w₂) − (2x₁, 4x₂), the true \
            gradient minus (2x₁, 4x₂), so N(0, 1) noise in each coordinate corresponds to \
            x₁ ∼ N(0, 1/4) and x₂ ∼ N(0, 1/16), mean zero; E_x[l(x, w)] = w₁² + 2w₂² + 3/8 differs \
            from f by a constant, so the minimizer is the same. For a general quadratic, examples x \
            with mean μ and covariance Σ and the loss ½(w − x)ᵀQ(w − x) give the gradient \
            Q(w − μ) plus noise −Q(x − μ) of mean 0 and covariance QΣQ; to get noise of covariance \
            C, choose Σ = Q⁻¹CQ⁻¹ when Q is invertible. A check with \(draws) draws of x (stream \
            `noise-as-data`) at w = (0.7, −0.3): the implied gradient noise has
            """)
        nb.output("mean (\(mean.x, format: "%.4f"), \(mean.y, format: "%.4f")), variance (\(variance.x, format: "%.4f"), \(variance.y, format: "%.4f"))")
        nb.paragraph("that is, mean 0 and variance 1 in each coordinate up to sampling error.")

        // 3
        let comparison = compareSampling(ctx)
        nb.paragraph("""
            3. Compare the convergence of SGD when the examples of a finite training set are drawn \
            with replacement and when they are drawn without replacement.
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            [With or without replacement](#beyond-the-book-with-or-without-replacement-exercise-3) \
            above runs both on a \(finiteSumTerms)-term least-squares sum with a rate that decays \
            like 1/epoch. Both are close after one epoch, but reshuffling every epoch keeps \
            improving, while drawing with replacement is held back by the sampling error of each \
            epoch: after \(finiteSumEpochs) epochs the root-mean-square distance to the optimum is \
            \(f4(comparison.rms[0].distances[finiteSumEpochs])) with replacement and \
            \(f4(comparison.rms[1].distances[finiteSumEpochs])) without. Together with the 63% / 37% \
            count of examples seen per epoch, this is why the data iterators shuffle and walk \
            through the whole set.
            """)

        // 4
        coordinateScaleExercise(nb, ctx)

        // 5
        localMinimaExercise(nb)

        // 6
        let floor = stationarySpread
        nb.paragraph("""
            6. (Lecture deck.) SGD is usually run with a learning rate that decreases, for example \
            η_t ∝ 1/t or 1/√t. Why not a fixed learning rate?
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            Because the stochastic gradient does not vanish at the optimum. With a fixed η each \
            step adds noise of size η·ξ, and the iterate settles into a cloud whose size is set by \
            η: for x₁² + 2x₂² with unit noise and η = \(CFormat.format("%g", baseRate)), a standard deviation \
            of \(CFormat.format("%.3f", floor.x)) in x₁ and \(CFormat.format("%.3f", floor.y)) in x₂, however \
            long we run ([11.4.1](#1141-stochastic-gradient-updates)). Only a rate that tends to \
            zero shrinks the cloud; the convergence analysis adds that it must not shrink so fast \
            that Σ η_t stays finite, or the iterate freezes before it arrives (the exponential \
            schedule). In practice, as the lectures add, the rate is decreased far less aggressively \
            than the theory asks: a training loss at a modest noise floor is good enough, and \
            [variance reduction](#gd-sgd-and-variance-reduction) removes the floor altogether for \
            finite sums.
            """)
    }

    /// Exercise 4: one gradient coordinate consistently larger than the others. Plain SGD against
    /// per-coordinate step sizes (Adagrad), both tuned on the same grid.
    static func coordinateScaleExercise(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            4. How would you change the SGD solver if one coordinate of the gradient were \
            consistently much larger than all the others?
            """)
        nb.heading("Answer", level: 4)
        let f = Objective2D.ellipse(a: 1, b: 50)           // curvatures 2 and 100
        let steps = 50, tuningRuns = 20, evaluationRuns = 100
        let grid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
        let start = Point2D(-5, -2)
        enum Method: String, CaseIterable {
            case constant = "SGD, constant η₀"
            case decaying = "SGD, η_t = η₀/√(t + 1)"
            case adagrad = "Adagrad (per coordinate), η₀"
            var stream: String { self == .constant ? "constant" : self == .decaying ? "decaying" : "adagrad" }
        }
        /// The final point and the largest |x₂| met on the way.
        func run(_ method: Method, _ eta0: Double, _ rng: inout SeededGenerator) -> (final: Point2D, peak: Double) {
            var x = [start.x, start.y]
            let adagrad = AdaGrad(learningRate: eta0)
            var state = adagrad.initialState(count: 2)
            var peak = abs(start.y)
            for t in 0..<steps {
                let g = f.gradient(Point2D(x[0], x[1]))
                let noisy = [g.x + rng.normal(), g.y + rng.normal()]
                switch method {
                case .constant:
                    x[0] -= eta0 * noisy[0]; x[1] -= eta0 * noisy[1]
                case .decaying:
                    let eta = eta0 / Double(t + 1).squareRoot()
                    x[0] -= eta * noisy[0]; x[1] -= eta * noisy[1]
                case .adagrad:
                    adagrad.update(&x, gradient: noisy, state: &state)
                }
                peak = max(peak, abs(x[1]))
            }
            return (Point2D(x[0], x[1]), peak)
        }
        var rows: [[NotebookText]] = []
        var finals: [Double] = [], peaks: [Double] = []
        for method in Method.allCases {
            var best = grid[0], bestMean = Double.infinity
            for eta0 in grid {
                var rng = ctx.generator(stream: "scale-tune-\(method.stream)")
                var total = 0.0
                for _ in 0..<tuningRuns {
                    let value = f.value(run(method, eta0, &rng).final)
                    total += value.isFinite ? value : .infinity
                }
                if total / Double(tuningRuns) < bestMean { bestMean = total / Double(tuningRuns); best = eta0 }
            }
            var rng = ctx.generator(stream: "scale-eval-\(method.stream)")
            var values: [Double] = [], x1: [Double] = [], x2: [Double] = [], peak: [Double] = []
            for _ in 0..<evaluationRuns {
                let (p, top) = run(method, best, &rng)
                values.append(f.value(p)); x1.append(abs(p.x)); x2.append(abs(p.y)); peak.append(top)
            }
            let meanValue = values.reduce(0, +) / Double(evaluationRuns)
            let sd = (values.map { ($0 - meanValue) * ($0 - meanValue) }.reduce(0, +) / Double(evaluationRuns - 1)).squareRoot()
            finals.append(meanValue)
            peaks.append(median(peak))
            rows.append([NotebookText(method.rawValue), "\(best, format: "%g")",
                         "\(meanValue, format: "%.4f") ± \(sd / Double(evaluationRuns).squareRoot(), format: "%.4f")",
                         "\(x1.reduce(0, +) / Double(evaluationRuns), format: "%.4f")",
                         "\(x2.reduce(0, +) / Double(evaluationRuns), format: "%.4f")",
                         "\(median(peak), format: "%.3g")"])
        }
        let gridText = grid.map { CFormat.format("%g", $0) }.joined(separator: ", ")
        nb.paragraph("""
            Give every coordinate its own step size, scaled inversely to the size of its gradients. \
            One global rate has to be small enough for the largest coordinate, or that coordinate \
            diverges, and is then far too small for the others. Rescaling fixes this: by hand, by \
            measuring the feature on another scale (standardizing inputs does exactly this), or \
            automatically, by dividing each coordinate's step by a running estimate of its gradient \
            magnitude, which is what Adagrad, RMSProp and Adam do (Sections 11.7 to 11.10). \
            Gradient clipping does not help: it shrinks the whole vector and keeps the imbalance. An \
            experiment: f(x) = x₁² + 50x₂², whose second gradient coordinate is about 50 times the \
            first, with unit normal noise added to each coordinate, \(steps) steps from (−5, −2). \
            Each method picks η₀ from {\(gridText)} by the mean final f over \(tuningRuns) runs, and \
            the choice is evaluated on \(evaluationRuns) fresh runs (mean ± standard error, and the \
            median over runs of the largest |x₂| met on the way):
            """)
        nb.table(header: ["method", "chosen η₀", "final f", "mean |x₁|", "mean |x₂|", "largest |x₂| on the way"], rows: rows)
        let chosen = rows.map { $0[1].description }
        nb.paragraph("""
            The budget is the section's usual \(steps) steps. Plain SGD must keep its rate below \
            2/100 for the steep x₂; at the chosen η₀ = \(chosen[0]), x₁ shrinks only by a factor \
            1 − 2η₀ per step, one factor e every 1/(2η₀) steps, and after \(steps) steps it is still \
            far out (mean final f \(CFormat.format("%.4f", finals[0]))). A decaying rate does not help \
            (\(CFormat.format("%.4f", finals[1]))): its early steps are capped by the same stability \
            limit, and the tuning settles on a rate that lets x₂ overshoot a little (peak \
            |x₂| = \(CFormat.format("%.3g", peaks[1]))) without gaining much along x₁. Adagrad divides each \
            coordinate by the root of its accumulated squared gradients, so both coordinates move \
            at comparable speed and the run ends at \(CFormat.format("%.4f", finals[2])), \
            \(CFormat.format("%.0f", finals[0] / finals[2])) times lower than plain SGD with a constant rate. \
            Given many more steps the global-rate methods would catch up along x₁, but the time \
            constant of the flat direction is set by the steep one, which is exactly the problem \
            the exercise describes.
            """)
    }

    /// Exercise 5: the local minima of x²(1 + sin x), counted on an interval.
    static func localMinimaExercise(_ nb: Notebook) {
        nb.paragraph("""
            5. How many local minima does f(x) = x²(1 + sin x) have? Can you change f so that \
            minimizing it requires evaluating every local minimum?
            """)
        nb.heading("Answer", level: 4)
        let f = { (x: Double) in x * x * (1 + sin(x)) }
        let df = { (x: Double) in 2 * x * (1 + sin(x)) + x * x * cos(x) }
        // Local minima on [−R, R]: sign changes of f' from − to +, refined by bisection.
        let radius = 50.0, h = 1e-3
        var minima: [Double] = []
        var x = -radius
        while x < radius {
            let a = x, b = min(x + h, radius)
            if df(a) < 0 && df(b) >= 0 {
                minima.append(LineSearch.bisection(df, in: a...b, tolerance: 1e-12).minimizer)
            }
            x = b
        }
        let zeros = minima.filter { f($0) < 1e-9 }
        let positive = minima.filter { f($0) >= 1e-9 }
        nb.paragraph("""
            Infinitely many. The factor 1 + sin x is never negative and vanishes at \
            x = −π/2 + 2πk, so f ≥ 0 with f = 0 at x = 0 and at every such point: each of them is a \
            local and even a global minimum. Are there others, dips between the zeros where f \
            stays positive? Counting the places where f′ changes sign from negative to positive on \
            [−\(CFormat.format("%g", radius)), \(CFormat.format("%g", radius))], refined by bisection:
            """)
        nb.output("\(minima.count) local minima on [-\(CFormat.format("%g", radius)), \(CFormat.format("%g", radius))]: \(zeros.count) with f = 0 (x = 0 and x = -pi/2 + 2 pi k), \(positive.count) with f > 0")
        nb.paragraph("""
            \(positive.isEmpty ? "There are none: between two zeros f rises to a single hump and falls again, so the local minima are exactly the zeros, and all of them are global. For this f, minimizing is easy in a sense: any local minimum will do." : "Besides the zeros there are \(positive.count) minima with f > 0, which a local method can get stuck in.") \
            To force an algorithm to visit every minimum, make their depths unrelated to anything \
            the algorithm can see from elsewhere. For example, on [0, 2πN] take \
            g(x) = (1 + sin x) + dₖ · exp(−(x − xₖ)²) summed over the N minima xₖ of 1 + sin x, with \
            depths dₖ ∈ (−1, 0) chosen arbitrarily (say, from a hash of k). Away from the xₖ the \
            function looks the same for every choice of depths, so no amount of local exploration \
            near one minimum says anything about the depth of another, and finding the global \
            minimum requires evaluating g at all N of them. This is the intuition behind the \
            hardness of general nonconvex optimization, and why the convergence guarantees of this \
            section need convexity.
            """)
    }
}
