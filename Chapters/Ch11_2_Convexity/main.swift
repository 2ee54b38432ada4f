import OptimKit

ChapterMain.run(ConvexityChapter.self)
