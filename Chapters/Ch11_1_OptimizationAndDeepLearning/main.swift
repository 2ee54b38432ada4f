import OptimKit

ChapterMain.run(OptimizationAndDeepLearningChapter.self)
