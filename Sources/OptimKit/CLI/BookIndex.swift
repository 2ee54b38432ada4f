/// The book's chapters in order: titles, one-line summaries and the figure that stands for
/// each chapter on the index page `Output/README.md`.
public enum BookIndex {
    public struct Entry: Sendable {
        public let target: String
        public let title: String
        public let summary: String
        /// A figure file of the chapter's page, shown on the index.
        public let keyFigure: String?
    }

    public static let chapters: [Entry] = [
        Entry(target: "Ch11_1_OptimizationAndDeepLearning", title: "11.1 Optimization and Deep Learning",
              summary: "Why minimizing training loss is not the same as generalizing, and the obstacles on the way: local minima, saddle points, vanishing gradients.",
              keyFigure: "saddle-3d.svg"),
        Entry(target: "Ch11_2_Convexity", title: "11.2 Convexity",
              summary: "Convex sets and functions, Jensen's inequality, why convex problems have no bad local minima, and constraints via Lagrangians, penalties and projections.",
              keyFigure: "convex-nonconvex.svg"),
        Entry(target: "Ch11_3_GradientDescent", title: "11.3 Gradient Descent",
              summary: "Gradient descent in one and two dimensions, learning rates that are too small or too large, Newton's method, preconditioning and line search.",
              keyFigure: "gd-2d.svg"),
        Entry(target: "Ch11_4_SGD", title: "11.4 Stochastic Gradient Descent",
              summary: "Noisy gradients, learning-rate schedules that tame the noise, the convex convergence bound, and sampling with or without replacement.",
              keyFigure: "sgd-constant.svg"),
        Entry(target: "Ch11_5_MinibatchSGD", title: "11.5 Minibatch Stochastic Gradient Descent",
              summary: "Why minibatches: vectorisation and caches, then gradient descent, SGD and minibatches compared on the airfoil data by loss and wall time.",
              keyFigure: "loss-minibatch-10.svg"),
        Entry(target: "Ch11_6_Momentum", title: "11.6 Momentum",
              summary: "Leaky averages of gradients, ill-conditioned problems, and the exact convergence region of momentum on quadratics.",
              keyFigure: "momentum-convergence-region.svg"),
        Entry(target: "Ch11_7_Adagrad", title: "11.7 Adagrad",
              summary: "Per-coordinate learning rates from accumulated squared gradients, and what diagonal preconditioning can and cannot fix.",
              keyFigure: "adagrad-eta-0.4.svg"),
        Entry(target: "Ch11_8_RMSProp", title: "11.8 RMSProp",
              summary: "Adagrad with a leaky average, so the step size stops shrinking forever.",
              keyFigure: "rmsprop-2d.svg"),
        Entry(target: "Ch11_9_Adadelta", title: "11.9 Adadelta",
              summary: "An adaptive method without a learning rate: the step is rescaled by a running average of past updates.",
              keyFigure: "adadelta-steep-coordinate.svg"),
        Entry(target: "Ch11_10_Adam", title: "11.10 Adam and Yogi",
              summary: "Momentum and RMSProp combined with bias correction, and Yogi's gentler second-moment update.",
              keyFigure: "rare-spikes.svg"),
        Entry(target: "Ch11_11_LRScheduling", title: "11.11 Learning Rate Scheduling",
              summary: "Schedules as functions of the step (square root, factor, multi-factor, cosine, warmup and more) and their effect on training LeNet on real digits.",
              keyFigure: "lenet-cosine.svg"),
    ]

    public static func entry(for target: String) -> Entry? { chapters.first { $0.target == target } }

    public static func navigation(for target: String) -> (previous: (title: String, target: String)?, next: (title: String, target: String)?) {
        guard let i = chapters.firstIndex(where: { $0.target == target }) else { return (nil, nil) }
        let previous = i > 0 ? (title: chapters[i - 1].title, target: chapters[i - 1].target) : nil
        let next = i + 1 < chapters.count ? (title: chapters[i + 1].title, target: chapters[i + 1].target) : nil
        return (previous, next)
    }

    /// The index page, `Output/README.md`.
    public static func markdown() -> String {
        var out = """
            # OptimBook: Optimization Algorithms

            Chapter 11 of *Dive into Deep Learning* as runnable Swift. Each section below is a \
            program (`swift run <target>`) that printed this page and drew its figures; the \
            numbers are pinned by the project's golden tests.


            """
        for e in chapters {
            out += "## [\(e.title)](\(e.target)/README.md)\n\n"
            out += e.summary + "\n\n"
            if let figure = e.keyFigure {
                out += "[![\(e.title)](\(e.target)/\(figure))](\(e.target)/README.md)\n\n"
            }
            out += "`swift run \(e.target)`\n\n"
        }
        return out
    }
}
