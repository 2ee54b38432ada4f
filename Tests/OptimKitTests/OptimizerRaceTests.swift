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

    @Test func logGridIsEvenOnALogScale() {
        let grid = LearningRateSearch.logGrid(from: 1e-4, to: 10, perDecade: 4)
        #expect(grid.count == 21)
        #expect(grid.first == 1e-4 && grid.last == 10)
        #expect(abs(grid[4] - 1e-3) < 1e-18 && abs(grid[2] - 10.0.squareRoot() * 1e-4) < 1e-15)
        #expect(LearningRateSearch(grid: grid, criterion: .finalValue).description.contains("21 rates from 0.0001 to 10"))
    }

    @Test func searchPicksTheLowestScoreWithTiesToTheSmallerRate() {
        #expect(RaceTuning.choose([3, 1, 1, 2]) == 1)
        #expect(RaceTuning.choose([.infinity, 5, .nan, 4]) == 3)
        #expect(RaceTuning.choose([.infinity, .infinity]) == nil)
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let diverged = Trace2D(points: [Point2D(1, 1), Point2D(.infinity, 0)])
        #expect(RaceCriterion.finalValue.score(diverged, on: f) == .infinity)
        let slow = Trace2D(points: [Point2D(-5, -2), Point2D(-4, -1), Point2D(-1, 0)])
        #expect(RaceCriterion.firstStepAtOrBelow(0.2).score(slow, on: f) == 2)
        #expect(RaceCriterion.firstStepAtOrBelow(0.01).score(slow, on: f) == 3)   // never: steps + 1
        // The table prints a run that never got there as ">steps", not as a step it never took.
        #expect(RaceCriterion.firstStepAtOrBelow(0.01).format(3, steps: 2) == ">2")
        #expect(RaceCriterion.firstStepAtOrBelow(0.2).format(2, steps: 2) == "2")
    }

    @Test func everyEntryOfATunedRaceRunsAtItsSearchedRate() {
        for surface in RaceSurface.allCases {
            let search = surface.search
            let (race, tuning) = surface.race.tuned(by: search)
            #expect(tuning.map(\.label) == race.entries.map(\.label))
            for (entry, t) in zip(race.entries, tuning) {
                let chosen = try? #require(t.chosenIndex)
                #expect(entry.learningRate == t.chosenRate, "\(surface) \(entry.label)")
                // The chosen score is the best of the column, and re-running the entry reproduces it.
                if let chosen {
                    #expect(t.scores.allSatisfy { !($0 < t.scores[chosen]) })
                    let rerun = OptimizerRace(objective: race.objective, start: race.start, steps: race.steps,
                                              entries: [entry], xRange: race.xRange, yRange: race.yRange).run()[0]
                    #expect(search.criterion.score(rerun.trace, on: race.objective) == t.scores[chosen])
                }
            }
            let table = OptimizerRace.searchTable(tuning)
            #expect(table.rows.count == search.grid.count && table.header.count == 8)
            #expect(table.rows.flatMap { $0 }.filter { $0.rendered(maskVolatile: false).hasSuffix(" *") }.count == 7)
        }
    }

    @Test func raceSentencesFollowTheNumbers() {
        let race = RaceSurface.rosenbrock.race
        let results = race.run()
        func moved(_ label: String, to point: Point2D) -> [OptimizerRace.Result] {
            results.map { r in
                guard r.label == label else { return r }
                let d = point - Point2D(1, 1)
                return OptimizerRace.Result(label: r.label, settings: r.settings, trace: Trace2D(points: [race.start, point]),
                                            finalValue: race.objective.value(point),
                                            distance: (d.x * d.x + d.y * d.y).squareRoot())
            }
        }
        let before = OptimizerRace.reachSentence(results, tolerance: 0.01)
        #expect(OptimizerRace.reached(results, tolerance: 0.01).contains("adam"))
        let adamStuck = moved("adam", to: Point2D(0, 0))
        let after = OptimizerRace.reachSentence(adamStuck, tolerance: 0.01)
        #expect(before != after && after.contains("adam (1.41 away)"))
        #expect(!OptimizerRace.reached(adamStuck, tolerance: 0.01).contains("adam"))
        let everyone = results.map(\.label).reduce(results) { rs, label in
            rs.map { $0.label == label ? moved(label, to: Point2D(1, 1)).first { $0.label == label }! : $0 }
        }
        #expect(OptimizerRace.reachSentence(everyone, tolerance: 0.01) == "Every method reaches the minimizer.")
        #expect(OptimizerRace.rankingSentence(everyone) == "All runs stop at the same f = 0.")
        #expect(OptimizerRace.rankingSentence(moved("sgd", to: Point2D(1, 1))).hasPrefix("The lowest final f is sgd's (0)"))

        let saddle = RaceSurface.saddle.race
        let escapes = saddle.run()
        let sentence = saddle.escapeSentence(escapes, threshold: -1)
        let stuck = escapes.map { r in
            r.label == "sgd" ? OptimizerRace.Result(label: "sgd", settings: r.settings, trace: Trace2D(points: [saddle.start]),
                                                    finalValue: saddle.objective.value(saddle.start), distance: nil) : r
        }
        #expect(saddle.escapeSentence(stuck, threshold: -1) != sentence)
        #expect(saddle.escapeSentence(stuck, threshold: -1).hasSuffix("sgd does not get there in 30 steps."))
    }

    @Test func raceFigureMarksEveryEndAndKeepsTheLegendOffThePlot() throws {
        let race = RaceSurface.rosenbrock.race
        let svg = race.figure(race.run()).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        // Seven end markers plus the start and the minimizer, each a markers path; seven legend markers.
        #expect(doc.elements("path", class: "markers").count == 9)
        #expect(doc.elements("path", class: "legend-marker").count == 7)
        // The clip path's rectangle is the plot area.
        let clipIndex = try #require(doc.elements.firstIndex { $0.name == "clipPath" })
        let clip = doc.elements[clipIndex + 1].attributes
        let frameRight = Double(clip["x"]!)! + Double(clip["width"]!)!
        let legendRect = try #require(doc.elements("rect").first { $0["rx"] == "2" })
        #expect(Double(legendRect["x"]!)! > frameRight)
        // No two paths share dash pattern, width and marker; Adam and Yogi differ in width.
        let styles = (0..<7).map { OptimizerRace.pathStyle($0) }
        #expect(Set(styles.map { "\($0.dash)\($0.marker)" }).count == 7)
        #expect(abs(styles[5].width - styles[6].width) >= 0.4)
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
