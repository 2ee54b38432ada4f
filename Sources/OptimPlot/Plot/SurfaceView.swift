import Foundation

/// The orthographic view of a `Surface3D` that the SVG and the terminal renderers share, so the
/// two drawings of one surface agree.
///
/// The z range covers the finite samples and markers (or the surface's `zLimits`); the box is
/// normalised to x, y in [−½, ½] and z in [−⅜, ⅜] (matplotlib's 4:4:3 box). The viewer looks
/// from direction d = (cos e cos a, cos e sin a, sin e) for elevation e and azimuth a; screen
/// right is (−sin a, cos a, 0) and screen up is d × right.
///
/// ```swift
/// let view = SurfaceView(surface)
/// let screenX = view.dot(SurfaceView.Vec3(x: view.nx(1), y: view.ny(0), z: view.nz(2)), view.right)
/// ```
struct SurfaceView {
    struct Vec3 { var x, y, z: Double }

    let zlo: Double, zhi: Double
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    let xSpan: Double, ySpan: Double
    let direction: Vec3, right: Vec3, up: Vec3

    init(_ s: Surface3D) {
        var zlo = Double.infinity, zhi = -Double.infinity
        for v in s.grid.z where v.isFinite { zlo = min(zlo, v); zhi = max(zhi, v) }
        for m in s.markers where m.z.isFinite { zlo = min(zlo, m.z); zhi = max(zhi, m.z) }
        if !(zlo <= zhi) { zlo = 0; zhi = 1 }
        if zhi - zlo < 1e-12 { zlo -= 0.5; zhi += 0.5 }
        zlo = max(zlo, -4e307); zhi = min(zhi, 4e307)
        if let limits = s.zLimits, limits.lowerBound.isFinite, limits.upperBound.isFinite,
           limits.upperBound > limits.lowerBound {
            zlo = limits.lowerBound; zhi = limits.upperBound
        }
        self.zlo = zlo; self.zhi = zhi
        xRange = s.xRange; yRange = s.yRange
        xSpan = max(s.xRange.upperBound - s.xRange.lowerBound, 1e-300)
        ySpan = max(s.yRange.upperBound - s.yRange.lowerBound, 1e-300)
        let az = s.azimuth * Double.pi / 180, el = s.elevation * Double.pi / 180
        direction = Vec3(x: cos(el) * cos(az), y: cos(el) * sin(az), z: sin(el))
        right = Vec3(x: -sin(az), y: cos(az), z: 0)
        up = Vec3(x: -sin(el) * cos(az), y: -sin(el) * sin(az), z: cos(el))
    }

    /// Normalised box coordinates of a data point.
    func nx(_ x: Double) -> Double { (x - xRange.lowerBound) / xSpan - 0.5 }
    func ny(_ y: Double) -> Double { (y - yRange.lowerBound) / ySpan - 0.5 }
    func nz(_ z: Double) -> Double { ((z - zlo) / (zhi - zlo) - 0.5) * 0.75 }

    func dot(_ a: Vec3, _ b: Vec3) -> Double { a.x * b.x + a.y * b.y + a.z * b.z }
}
