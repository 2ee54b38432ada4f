import OptimKit

ChapterMain.run(SGDChapter.self)
