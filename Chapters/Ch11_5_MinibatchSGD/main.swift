import OptimKit

ChapterMain.run(MinibatchSGDChapter.self)
