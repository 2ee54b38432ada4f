import Foundation

/// The symbol drawn at each data point (format-string letters in brackets):
/// circle (`o`), point (`.`), square (`s`), diamond (`D`/`d`), triangles (`^`, `v`), plus (`+`),
/// cross (`x`), star (`*`).
///
/// ```swift
/// ax.scatter(xs, ys, marker: .square, size: 3)
/// ```
public enum Marker: Sendable, Equatable {
    case none, circle, point, square, diamond, triangleUp, triangleDown, plus, cross, star
}
