import OptimKit

ChapterMain.run(RMSPropChapter.self)
