import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The closing exercises of 11.2 with worked answers; where a claim can be checked by
/// computation, the answer runs the check.
extension ConvexityChapter {
    static func exercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Exercises")
        let f4 = { (v: Double) in CFormat.format("%.4f", v) }

        nb.paragraph("""
            1. Suppose we test whether a set X is convex by drawing segments between its points. \
            Show that it is enough to draw the segments between points of the boundary, and that \
            for a polygon the segments between its vertices are enough.
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            Both claims need a little care about which sets are meant. *Boundary.* Let X be closed \
            (so that its boundary points belong to it). Suppose X is not convex: there are a, b ∈ X \
            and a point c between them with c ∉ X. Walk from c towards a and let a′ be the first \
            point of X on the way; it exists because a ∈ X and X is closed, and it is not c itself \
            because a closed set that misses c also misses a small disc around c. Then a′ is a \
            boundary point: it lies in X, while the points just before it, on the side of c, do \
            not. Define b′ the same way towards b. The segment from a′ to b′ passes through c and \
            so leaves X. Read backwards: if every segment between boundary points stays in X, \
            then X is convex. *Vertices.* For a polygon X without holes, assume \
            every segment between two vertices lies in X. Split the convex hull of the vertices into \
            triangles with corners at vertices (a fan from one vertex). Each triangle's three sides \
            are vertex-to-vertex segments, hence in X, and a polygon without holes contains \
            everything enclosed by a closed curve inside it, so every triangle lies in X. Thus the \
            convex hull of the vertices is inside X; it also contains X, since a polygon lies in the \
            hull of its corners. So X equals a convex hull and is convex. For a set that is not a \
            polygon the claim has no content: a disc has no vertices.
            """)

        nb.paragraph("2. Show that the ball B_p[r] = {x ∈ ℝᵈ : ‖x‖_p ≤ r} is convex for every p ≥ 1.")
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            For p ≥ 1, ‖·‖_p is a norm: it is homogeneous, ‖λx‖_p = |λ|‖x‖_p, and obeys the \
            triangle inequality (Minkowski's inequality). For x, y ∈ B_p[r] and λ ∈ [0, 1], \
            ‖λx + (1 − λ)y‖_p ≤ λ‖x‖_p + (1 − λ)‖y‖_p ≤ λr + (1 − λ)r = r. Below p = 1 the triangle \
            inequality fails and so does convexity. The midpoint of (1, 0) and (0, 1), both on the \
            unit sphere of every p, has norm 2^(1/p − 1):
            """)
        for p in [0.5, 1, 2] {
            let norm = Foundation.pow(2 * Foundation.pow(0.5, p), 1 / p)
            nb.output("p = \(p, format: "%g"): ||(0.5, 0.5)||_p = \(norm, format: "%.4f") -> \(norm <= 1 + 1e-12 ? "inside the unit ball" : "outside: B_p[1] is not convex")")
        }

        nb.paragraph("3. For convex f and g show that max(f, g) is convex, and that min(f, g) need not be.")
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            Let h = max(f, g). For any x, y and λ ∈ [0, 1], f(λx + (1 − λ)y) ≤ λf(x) + (1 − λ)f(y) ≤ \
            λh(x) + (1 − λ)h(y), and the same holds for g; the larger of the two left sides is \
            h(λx + (1 − λ)y), so h satisfies the definition. (The same argument shows that the \
            supremum of any family of convex functions is convex.) For the minimum take \
            f(x) = (x − 1)² and g(x) = (x + 1)²:
            """)
        let m = { (x: Double) in min((x - 1) * (x - 1), (x + 1) * (x + 1)) }
        nb.output("min(f, g) at -1: \(m(-1), format: "%g"), at 1: \(m(1), format: "%g"), at the midpoint 0: \(m(0), format: "%g") > 0 = the chord's value")
        nb.paragraph("The graph is a W with two dips; the chord between them lies below the hump.")

        nb.paragraph("4. Show that log Σᵢ exp(xᵢ), the normalizer of the softmax, is a convex function of x.")
        nb.heading("Answer", level: 4)
        var rng = ctx.generator(stream: "logsumexp-hessian")
        var smallest = Double.infinity, largest = -Double.infinity, nullResidual = 0.0
        let dim = 4, points = 1000
        for _ in 0..<points {
            let x = rng.normals(dim, standardDeviation: 3)
            let top = x.max()!
            let e = x.map { Foundation.exp($0 - top) }
            let total = e.reduce(0, +)
            let p = e.map { $0 / total }
            let h = (0..<dim).map { i in (0..<dim).map { j in (i == j ? p[i] : 0) - p[i] * p[j] } }
            let eigenvalues = SymmetricEigenvalues.of(h)
            smallest = min(smallest, eigenvalues[0])
            largest = max(largest, eigenvalues[dim - 1])
            for i in 0..<dim { nullResidual = max(nullResidual, abs(h[i].reduce(0, +))) }
        }
        nb.paragraph("""
            With p = softmax(x), the gradient of f(x) = log Σᵢ exp(xᵢ) is p and the Hessian is \
            H = diag(p) − ppᵀ. For any direction v, vᵀHv = Σᵢ pᵢvᵢ² − (Σᵢ pᵢvᵢ)², which is the \
            variance of the values vᵢ under the probabilities pᵢ, hence ≥ 0: H is positive \
            semidefinite everywhere and f is convex by the second-derivative test. The variance is \
            zero when all vᵢ are equal, so f is flat along (1, …, 1): indeed f(x + c·1) = f(x) + c, \
            linear in that direction and therefore not strictly convex. Computed at \(points) random \
            points of ℝ⁴ with coordinates drawn from N(0, 3²) (stream \
            `logsumexp-hessian`):
            """)
        nb.output("smallest Hessian eigenvalue \(smallest, format: "%.1e"), largest \(largest, format: "%.4f"); largest |H (1, ..., 1)| entry \(nullResidual, format: "%.1e")")
        nb.paragraph("The smallest eigenvalue is zero up to rounding, along the flat direction, and none is negative.")

        nb.paragraph("""
            5. Show that the affine set X = {x : Wx = b} is convex, and that for b = 0 the projection \
            onto X is a linear map, Proj_X(x) = Mx for some matrix M.
            """)
        nb.heading("Answer", level: 4)
        var wrng = ctx.generator(stream: "nullspace-projection")
        let rows = 2, cols = 4
        let w = (0..<rows).map { _ in wrng.normals(cols) }
        // M = I − Wᵀ (W Wᵀ)⁻¹ W, with (W Wᵀ)⁻¹ applied through a Cholesky factorization.
        let gram = (0..<rows).flatMap { i in (0..<rows).map { j in zip(w[i], w[j]).reduce(0) { $0 + $1.0 * $1.1 } } }
        let factor = try! Cholesky(matrix: gram, dimension: rows)
        func project(_ x: [Double]) -> [Double] {
            let wx = w.map { zip($0, x).reduce(0) { $0 + $1.0 * $1.1 } }
            let y = factor.solve(wx)
            return (0..<cols).map { j in x[j] - (0..<rows).reduce(0) { $0 + w[$1][j] * y[$1] } }
        }
        let mCols = (0..<cols).map { j in project((0..<cols).map { $0 == j ? 1.0 : 0.0 }) }   // column j of M
        var symmetry = 0.0, idempotence = 0.0, feasibility = 0.0
        for i in 0..<cols {
            for j in 0..<cols { symmetry = max(symmetry, abs(mCols[j][i] - mCols[i][j])) }
            let twice = project(mCols[i])
            for j in 0..<cols { idempotence = max(idempotence, abs(twice[j] - mCols[i][j])) }
            for r in 0..<rows { feasibility = max(feasibility, abs(zip(w[r], mCols[i]).reduce(0) { $0 + $1.0 * $1.1 })) }
        }
        nb.paragraph("""
            If Wx = b and Wy = b then W(λx + (1 − λ)y) = λb + (1 − λ)b = b, so X is convex (it is a \
            shifted linear subspace). For b = 0, X is the null space of W. Assume W has full row \
            rank. The nearest point x′ = x − u in the null space has its correction u orthogonal \
            to the null space, i.e. in the row space: u = Wᵀy. Requiring W(x − Wᵀy) = 0 gives \
            y = (WWᵀ)⁻¹Wx, so Proj_X(x) = (I − Wᵀ(WWᵀ)⁻¹W)x = Mx, a linear map. M is symmetric and \
            M² = M, as an orthogonal projection must be. We build M for a random \(rows) × \(cols) \
            matrix W (stream `nullspace-projection`), with (WWᵀ)⁻¹ applied by a Cholesky \
            factorization, and check all three properties:
            """)
        nb.output("max |M - M^T| = \(symmetry, format: "%.1e"), max |M M - M| = \(idempotence, format: "%.1e"), max |W M| = \(feasibility, format: "%.1e")")

        nb.paragraph("""
            6. Show that for a twice-differentiable f, f(x + ε) = f(x) + εf′(x) + ½ε²f″(x + ξ) for \
            some ξ between 0 and ε.
            """)
        nb.heading("Answer", level: 4)
        let xi = Foundation.log(2 * (Foundation.exp(1.0) - 2))
        nb.paragraph("""
            This is Taylor's theorem with the Lagrange remainder; convexity is not needed (the book \
            states the exercise for convex f). Let c = 2(f(x + ε) − f(x) − εf′(x))/ε² and \
            φ(t) = f(x + t) − f(x) − tf′(x) − ½ct². Then φ(0) = 0 and, by the choice of c, φ(ε) = 0, \
            so by Rolle's theorem φ′(τ) = 0 for some τ between 0 and ε. Also φ′(0) = f′(x) − f′(x) = 0, \
            so Rolle's theorem applied to φ′ on [0, τ] gives a ξ with φ″(ξ) = f″(x + ξ) − c = 0, i.e. \
            c = f″(x + ξ), which is the claim. For f = exp, x = 0 and ε = 1 the equation \
            e = 1 + 1 + ½e^ξ gives ξ = log(2(e − 2)) = \(f4(xi)), inside [0, 1] as promised. For \
            convex f the remainder is ≥ 0, which is the first-order condition \
            f(x + ε) ≥ f(x) + εf′(x) used in the convergence proofs of 11.3 and 11.4.
            """)

        nb.paragraph("""
            7. Let ‖w‖₁ > 1. Project w onto the unit ℓ₁ ball. First solve the penalized problem \
            min over w′ of ‖w − w′‖² + λ‖w′‖₁ for a given λ > 0; then find the λ whose solution \
            lands exactly on the boundary, without trial and error.
            """)
        nb.heading("Answer", level: 4)
        let wv = [0.9, -0.6, 0.3, 0.05]
        let sortedMagnitudes = wv.map(abs).sorted(by: >)
        var k = 0, running = 0.0, theta = 0.0
        for (i, a) in sortedMagnitudes.enumerated() {
            running += a
            let candidate = (running - 1) / Double(i + 1)
            if a > candidate { k = i + 1; theta = candidate }
        }
        let soft = wv.map { ($0 < 0 ? -1.0 : 1.0) * max(abs($0) - theta, 0) }
        let library = Projection.ontoL1Ball(wv)
        let gap = zip(soft, library).map { abs($0 - $1) }.max()!
        let fmt = { (v: [Double]) in "(" + v.map { CFormat.format("%.4f", $0) }.joined(separator: ", ") + ")" }
        nb.paragraph("""
            The penalized problem separates into one problem per coordinate, min over u of \
            (wᵢ − u)² + λ|u|. For u ≠ 0 the derivative is 2(u − wᵢ) + λ sign(u); setting it to zero \
            gives u = wᵢ − (λ/2) sign(wᵢ), valid when |wᵢ| > λ/2, and otherwise the minimum is at \
            u = 0. So the solution is soft thresholding with θ = λ/2: w′ᵢ = sign(wᵢ) max(|wᵢ| − θ, 0). \
            Its ℓ₁ norm Σᵢ max(|wᵢ| − θ, 0) falls continuously and piecewise linearly from ‖w‖₁ at \
            θ = 0 to 0, so exactly one θ gives norm 1. Sort the magnitudes decreasingly, \
            a₁ ≥ a₂ ≥ …; if the k largest survive, θ = (a₁ + … + a_k − 1)/k, and the right k is the \
            largest one with a_k > θ. No search is needed beyond one sort. For w = \(fmt(wv)), \
            ‖w‖₁ = \(f4(wv.map(abs).reduce(0, +))):
            """)
        nb.output("k = \(k) coordinates survive, theta = \(theta, format: "%.4f"), lambda = 2 theta = \(2 * theta, format: "%.4f")")
        nb.output("projection \(fmt(soft)), l1 norm \(soft.map(abs).reduce(0, +), format: "%.4f"); Projection.ontoL1Ball differs by \(gap, format: "%.1e")")
        nb.paragraph("""
            This is the algorithm behind `Projection.ontoL1Ball`, and it explains the sparsity seen \
            in [the projections above](#projections): every coordinate smaller than θ becomes \
            exactly zero.
            """)

        nb.paragraph("""
            8. Let X be convex and closed. Show that projecting onto X never increases distances: \
            ‖Proj_X(x) − Proj_X(y)‖ ≤ ‖x − y‖.
            """)
        nb.heading("Answer", level: 4)
        var prng = ctx.generator(stream: "nonexpansive")
        let pairs = 10_000, d = 5
        var worstL2 = 0.0, worstL1 = 0.0
        for _ in 0..<pairs {
            // Spread so that both inside and outside points occur (‖x‖ is about 1 on average).
            let x = prng.normals(d, standardDeviation: 0.45), y = prng.normals(d, standardDeviation: 0.45)
            let dist = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
            worstL2 = max(worstL2, dist(Projection.ontoL2Ball(x), Projection.ontoL2Ball(y)) / dist(x, y))
            worstL1 = max(worstL1, dist(Projection.ontoL1Ball(x), Projection.ontoL1Ball(y)) / dist(x, y))
        }
        nb.paragraph("""
            Write p = Proj_X(x) and q = Proj_X(y). Because p is the nearest point of the convex set \
            X to x, moving from p towards any z ∈ X cannot bring us closer to x, which says \
            ⟨x − p, z − p⟩ ≤ 0 for all z ∈ X (otherwise a small step from p towards z would reduce \
            the distance). Take z = q, and symmetrically for y take z = p: ⟨x − p, q − p⟩ ≤ 0 and \
            ⟨y − q, p − q⟩ ≤ 0. Adding them gives ⟨(x − y) − (p − q), q − p⟩ ≤ 0, i.e. \
            ‖p − q‖² ≤ ⟨x − y, p − q⟩ ≤ ‖x − y‖ ‖p − q‖ by Cauchy–Schwarz. Dividing by ‖p − q‖ \
            (when it is not zero) proves the claim. Checked on \(pairs) random pairs in ℝ⁵ \
            (stream `nonexpansive`), the largest ratio ‖Proj(x) − Proj(y)‖ / ‖x − y‖ is
            """)
        nb.output("l2 unit ball: \(worstL2, format: "%.4f"), l1 unit ball: \(worstL1, format: "%.4f")")
        nb.paragraph("""
            Neither exceeds 1; the value 1 is reached by pairs that both lie inside the ball, \
            which the projection leaves in place. This is why projected gradient descent inherits the \
            convergence guarantees of plain gradient descent: the projection step can only bring \
            two iterates closer, never push them apart.
            """)
    }
}
