import OptimKit

ChapterMain.run(MomentumChapter.self)
