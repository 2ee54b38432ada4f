import OptimKit

ChapterMain.run(AdadeltaChapter.self)
