import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Testing

@Suite struct ReadableDurationTests {
    @Test func picksTheUnitThatShowsTheTime() {
        #expect(readableDuration(2.19e-5) == "21.9 µs")
        #expect(readableDuration(8.016e-6) == "8.02 µs")
        #expect(readableDuration(0.0421) == "42.1 ms")
        #expect(readableDuration(0.000123) == "123 µs")
        #expect(readableDuration(3.5) == "3.500 sec")
        #expect(readableDuration(0) == "0.00 µs")
    }

    /// Values that would round up to 1000 in one unit are shown in the next one.
    @Test func neverPrintsAThousandOfAUnit() {
        #expect(readableDuration(0.99996e-3) == "1.00 ms")
        #expect(readableDuration(0.9996) == "1.000 sec")
        #expect(readableDuration(999.4e-6) == "999 µs")
    }

    @Test func nonFiniteOrNegativeTimesStayReadable() {
        #expect(readableDuration(.nan) == "nan sec")
        #expect(readableDuration(-1) == "-1 sec")
    }
}

@Suite struct SeedSpreadTests {
    @Test func meanSpreadAndText() {
        let s = SeedSpread([1, 2, 3, 4])
        #expect(s.mean == 2.5 && s.min == 1 && s.max == 4)
        #expect(abs(s.standardDeviation - (5.0 / 3).squareRoot()) < 1e-15)
        #expect(s.text("%.2f") == "2.50 ± 1.29 (1.00–4.00, 4 seeds)")
        #expect(s.short("%.1f") == "2.5 ± 1.3")
        #expect(SeedSpread([0.7]).standardDeviation == 0)
    }
}
