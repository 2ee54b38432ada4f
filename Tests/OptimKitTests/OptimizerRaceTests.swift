@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// Optimizer races on the three courses, step tables and per-optimizer state components.
@Suite struct OptimizerRaceTests {
    @Test func illConditionedRaceReproducesTheBooksTraces() {
        let results = RaceSurface.illConditioned.race.run()
        #expect(results.map(\.label) == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "yogi"])
        // The book's numbers for the methods it runs with these settings.
        #expect(results[0].trace.summary == "epoch 20, x1 -0.943467, x2 -0.000073")
        #expect(results[1].trace.summary == "epoch 20, x1 0.007188, x2 0.002553")
        #expect(results[3].trace.summary == "epoch 20, x1 -0.002295, x2 -0.000000")
        #expect(results[4].trace.summary == "epoch 20, x1 -0.010599, x2 0.000000")
        for r in results {
            #expect(r.trace.steps == 20 && !r.trace.diverged, "\(r.label)")
            #expect(abs(r.distance! - (r.trace.final.x * r.trace.final.x + r.trace.final.y * r.trace.final.y).squareRoot()) < 1e-15)
        }
    }

    @Test func rosenbrockFavoursTheAdaptiveMethods() {
        let results = RaceSurface.rosenbrock.race.run()
        let distance = Dictionary(uniqueKeysWithValues: results.map { ($0.label, $0.distance!) })
        #expect(distance["adam"]! < 0.01)
        #expect(distance["sgd"]! > 0.5)
        #expect(distance["adam"]! < distance["momentum"]! && distance["momentum"]! < distance["sgd"]!)
    }

    @Test func saddleIsEscapedByEveryone() {
        let results = RaceSurface.saddle.race.run()
        for r in results {
            #expect(abs(r.trace.final.y) > 1, "\(r.label) should leave the saddle")
            #expect(r.finalValue < 0)
            #expect(r.distance == nil)
        }
        #expect(RaceSurface.saddle.race.tableRows(results)[0].last?.rendered(maskVolatile: false) == "-")
    }

    @Test func raceFigureHasLegendAndAnimatedTwin() throws {
        let race = RaceSurface.illConditioned.race
        let fig = race.figure(race.run())
        let svg = fig.svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        for name in ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "yogi"] {
            #expect(doc.texts.contains(name))
        }
        let twin = try #require(fig.animatedTwin).svg(maskVolatile: false)
        #expect(SVGInspector.parse(twin).elements.filter { $0.name == "animateMotion" }.count == 7)
    }

    @Test func stepTableShowsTheArithmetic() {
        let run = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5),
                                  objective: .ellipse(a: 0.1, b: 2), steps: 3)
        #expect(StepTable.header(run) == ["k", "x1", "x2", "g1", "g2", "v1", "v2", "Δx1", "Δx2"])
        let rows = StepTable.rows(run)
        // Step 1 from (−5, −2): g = (−1, −8), v = g, Δx = −0.6 v.
        #expect(rows[0] == ["1", "-5", "-2", "-1", "-8", "-1", "-8", "0.6", "4.8"])
        #expect(rows.count == 3)
        let adam = train2DDetailed(optimizer: Adam(learningRate: 0.1), objective: .ellipse(a: 0.1, b: 2), steps: 30)
        #expect(StepTable.header(adam).contains("s2") && StepTable.header(adam).contains("v1"))
        let cut = StepTable.rows(adam, maxRows: 5)
        #expect(cut.count == 5 && cut.last?.first == "30")
        let sgd = train2DDetailed(optimizer: SGD(learningRate: 0.1), objective: .ellipse(a: 1, b: 2), steps: 2)
        #expect(StepTable.header(sgd) == ["k", "x1", "x2", "g1", "g2", "Δx1", "Δx2"])
        let nb = Notebook(target: "T", title: "t")
        nb.stepTable(run)
        #expect(nb.transcript().contains("Δx1"))
    }

    @Test func stateComponentsNameTheBooksSymbols() {
        func names<O: InspectableOptimizer>(_ o: O) -> [String] {
            var w = [1.0, 2.0]; var s = o.initialState(count: 2)
            o.update(&w, gradient: [0.5, -1], state: &s)
            return o.stateComponents(s).map(\.name)
        }
        #expect(names(SGD(learningRate: 0.1)) == [])
        #expect(names(Momentum(learningRate: 0.1)) == ["v"])
        #expect(names(Nesterov(learningRate: 0.1)) == ["v"])
        #expect(names(AdaGrad(learningRate: 0.1)) == ["s"])
        #expect(names(RMSProp(learningRate: 0.1)) == ["s"])
        #expect(names(AdaDelta()) == ["s", "delta"])
        #expect(names(Adam(learningRate: 0.1)) == ["v", "s"])
        #expect(names(Yogi(learningRate: 0.1)) == ["v", "s"])
        #expect(names(AMSGrad(learningRate: 0.1)) == ["v", "s", "s_max"])
        #expect(names(AdaMax(learningRate: 0.1)) == ["v", "u"])
        #expect(names(LocalGain(learningRate: 0.1)) == ["gain"])
        #expect(names(ClippedByNorm(maxNorm: 1, base: Adam(learningRate: 0.1))) == ["v", "s"])
    }

    @Test func traceIsASharedFlag() throws {
        let parsed = try ArgumentParser.parse(["--trace"], options: [])
        #expect(parsed.flags == ["--trace"])
        #expect(ChapterContext(seed: 1, flags: parsed.flags).trace)
        #expect(!ChapterContext(seed: 1).trace)
        #expect(ArgumentParser.usage(target: "X", summary: "s", options: [], defaultSeed: 1).contains("--trace"))
        // A chapter's own --trace wins and is listed once.
        let own = [OptionSpec(flag: "--trace", help: "mine")]
        let usage = ArgumentParser.usage(target: "X", summary: "s", options: own, defaultSeed: 1)
        #expect(usage.components(separatedBy: "--trace").count == 2 && usage.contains("mine"))
    }
}
