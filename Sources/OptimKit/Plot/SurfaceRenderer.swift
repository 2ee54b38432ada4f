import Foundation

/// Draws a `Surface3D` panel.
struct SurfaceRenderer {
    let surface: Surface3D
    let title: String?
    let region: PixelRect

    func render(into w: inout SVGWriter) {
        w.raw("<!-- surface -->")
    }
}
