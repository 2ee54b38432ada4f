/// Anything the notebook can save as an SVG figure (implemented by `Figure`).
public protocol SVGRenderable {
    /// The SVG document. With `maskVolatile`, values marked volatile (e.g. wall-clock
    /// coordinates) are replaced so that the bytes are reproducible.
    func svg(maskVolatile: Bool) -> String
}

/// A figure that can also be written as an animation (implemented by `Figure` when a panel
/// carries animation tracks). The notebook saves the twin beside the static SVG.
public protocol SVGAnimatedTwin {
    /// The animated rendering, or nil when there is nothing to animate.
    var animatedTwin: SVGRenderable? { get }
}
