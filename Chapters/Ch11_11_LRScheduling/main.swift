import OptimKit

ChapterMain.run(LRSchedulingChapter.self)
