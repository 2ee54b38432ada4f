import OptimPlot
/// A readable line diff (longest common subsequence), used by the golden tests to show
/// what changed instead of "strings differ".
public enum LineDiff {
    /// Unified-style hunks: `-` lines only in `expected`, `+` lines only in `actual`, with
    /// `context` unchanged lines around each change. Empty when the texts are equal.
    public static func diff(expected: String, actual: String, context: Int = 2, maxLines: Int = 80) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if a == b { return "" }
        // Trim the common head and tail so the quadratic table stays small.
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let x = Array(a[head..<(a.count - tail)]), y = Array(b[head..<(b.count - tail)])
        var ops: [(Character, String)] = []
        if x.count * y.count > 4_000_000 {
            ops = x.map { ("-", $0) } + y.map { ("+", $0) }
        } else {
            var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < x.count || j < y.count {
                if i < x.count && j < y.count && x[i] == y[j] { ops.append((" ", x[i])); i += 1; j += 1 }
                else if j < y.count && (i == x.count || table[i][j + 1] >= table[i + 1][j]) { ops.append(("+", y[j])); j += 1 }
                else { ops.append(("-", x[i])); i += 1 }
            }
        }
        let before = a[max(0, head - context)..<head].map { (Character(" "), $0) }
        let after = a[(a.count - tail)..<min(a.count, a.count - tail + context)].map { (Character(" "), $0) }
        var lines = ["@@ line \(max(1, head - context + 1)) @@"]
        // Long lines (SVG paths) are cut so one changed figure does not flood the log.
        lines += (before + ops + after).map { op, text in
            text.count > 160 ? "\(op) \(text.prefix(160))… (\(text.count) chars)" : "\(op) \(text)"
        }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines)) + ["… (\(lines.count - maxLines) more diff lines)"]
        }
        return lines.joined(separator: "\n")
    }
}
