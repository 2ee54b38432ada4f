import Foundation
import Testing
import OptimKit
@testable import Ch11_11_LRScheduling

/// The chapter trains six LeNet runs, so it is run once (in the reduced configuration:
/// 1024 training and 512 held-out digits, 2 epochs) and every check reads that notebook.
@Suite struct Ch11_11_LRSchedulingTests {
    /// Schedule values computed by hand (spec 11.11), as the chapter prints them.
    static let scheduleLines = [
        // SquareRoot(1.0): 1/sqrt(t + 1)
        "t  0- 7: 1.000000 0.707107 0.577350 0.500000 0.447214 0.408248 0.377964 0.353553",
        // Factor(0.9, 1e-2, 2.0): 2 * 0.9^(t+1)
        "t  0- 7: 1.800000 1.620000 1.458000 1.312200 1.180980 1.062882 0.956594 0.860934",
        // MultiFactor([15, 30], 0.5, 0.5): 0.5 up to t = 15, 0.25 up to 30, then 0.125
        "t  8-15: 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000",
        "t 16-23: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000",
        "t 24-31: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.125000",
        // Cosine(40, 0.5, 0.01): 0.01 + 0.49 (1 + cos(pi t / 40)) / 2; t = 20 gives 0.255
        "t 16-23: 0.330709 0.312194 0.293326 0.274222 0.255000 0.235778 0.216674 0.197806",
        // Cosine with warmup 5: 0, 0.1, ..., 0.4, then 0.5 at t = 5
        "t  0- 7: 0.000000 0.100000 0.200000 0.300000 0.400000 0.500000 0.499014 0.496063",
    ]

    static func isFinalLine(_ line: String) -> Bool {
        line.wholeMatch(of: #/train loss \d+\.\d{3}, train acc \d\.\d{3}, test acc \d\.\d{3}/#) != nil
    }

    /// (header, rows) of every per-epoch table.
    static func epochTables(_ nb: Notebook) -> [[[String]]] {
        nb.blocks.compactMap { block -> [[String]]? in
            guard case .table(let header, let rows) = block, header.first == "epoch" else { return nil }
            return rows.map { $0.map { $0.rendered(maskVolatile: true) } }
        }
    }

    @Test func reducedChapterRun() throws {
        let nb = try ChapterMain.notebook(LRSchedulingChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }

        // Exact values, in order.
        var position = 0
        for expected in ["Learning rate is now 0.10"] + Self.scheduleLines {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
        // The cosine at t = 20 is exactly halfway: 0.255.
        #expect(CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)(20) == 0.255)

        // Six runs, each ending with the book's line.
        let finals = lines.filter(Self.isFinalLine)
        #expect(finals.count == 6)
        let tables = Self.epochTables(nb)
        #expect(tables.count == 6)
        for table in tables {
            #expect(table.count == 2)                              // reduced: 2 epochs
            for row in table {
                for cell in row.dropFirst() { #expect(Double(cell) != nil, "not a number: \(cell)") }
            }
        }
        // Rates per epoch: constant, square root (1, 1/sqrt 2), multi-factor, cosine (T = 2),
        // warmup (0 in the first epoch), and the book's per-update cosine (4 updates per epoch).
        #expect(tables.map { $0.map { $0[1] } } == [
            ["0.500000", "0.500000"], ["1.000000", "0.707107"], ["0.500000", "0.500000"],
            ["0.500000", "0.255000"], ["0.000000", "0.500000"], ["0.493231", "0.463897"],
        ])
        // The run with warmup does not move in its first epoch: its loss is the untrained one,
        // the same as every other run's first minibatches would give, near ln 10.
        let warmupLoss = try #require(Double(tables[4][0][2]))
        #expect(abs(warmupLoss - log(10)) < 0.05)
        // Sanity: the square-root run learns (loss falls, accuracy above chance).
        let sqrtRun = tables[1].map { $0.compactMap(Double.init) }
        #expect(sqrtRun[1][1] < sqrtRun[0][1])
        #expect(sqrtRun[1][3] > 0.2)

        // Pinned reduced results (goldens hold the rest).
        Golden.checkChapter(nb)
    }
}
