import Foundation

/// The nearest depth drawn so far at each braille dot, for hidden-line removal in 3-D
/// drawings: surfaces are filled in as triangles, and a dot of a line is visible only where
/// no surface lies in front of it. Larger depth means nearer the viewer.
///
/// ```swift
/// var buffer = DepthBuffer(width: 40, height: 20)
/// buffer.fill((0, 0, 1), (39, 0, 1), (0, 19, 1))     // a triangle at depth 1
/// buffer.isVisible(5, 5, depth: 0.5)                  // false: behind the triangle
/// ```
struct DepthBuffer: Sendable {
    let width: Int
    let height: Int
    private var nearest: [Double]
    /// How far behind a surface a dot may lie and still count as on it (lines drawn along
    /// the surface's own edges).
    var tolerance = 0.02

    init(width: Int, height: Int) {
        self.width = max(width, 0); self.height = max(height, 0)
        nearest = Array(repeating: -.infinity, count: self.width * self.height)
    }

    /// A triangle with corners (x, y, depth) in dot coordinates: every dot whose centre lies
    /// inside takes the depth interpolated there, if nearer than what it has.
    mutating func fill(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ c: (Double, Double, Double)) {
        let minX = max(Int(min(a.0, b.0, c.0).rounded(.down)), 0), maxX = min(Int(max(a.0, b.0, c.0).rounded(.up)), width - 1)
        let minY = max(Int(min(a.1, b.1, c.1).rounded(.down)), 0), maxY = min(Int(max(a.1, b.1, c.1).rounded(.up)), height - 1)
        guard minX <= maxX, minY <= maxY else { return }
        let area = (b.0 - a.0) * (c.1 - a.1) - (c.0 - a.0) * (b.1 - a.1)
        guard abs(area) > 1e-12 else { return }
        for y in minY...maxY {
            for x in minX...maxX {
                let px = Double(x), py = Double(y)
                let w0 = ((b.0 - px) * (c.1 - py) - (c.0 - px) * (b.1 - py)) / area
                let w1 = ((c.0 - px) * (a.1 - py) - (a.0 - px) * (c.1 - py)) / area
                let w2 = 1 - w0 - w1
                guard w0 >= -1e-9, w1 >= -1e-9, w2 >= -1e-9 else { continue }
                let z = w0 * a.2 + w1 * b.2 + w2 * c.2
                if z > nearest[y * width + x] { nearest[y * width + x] = z }
            }
        }
    }

    /// True when a dot at `depth` is not behind anything filled (dots off the buffer: false).
    func isVisible(_ x: Int, _ y: Int, depth: Double) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return false }
        return depth >= nearest[y * width + x] - tolerance
    }
}
