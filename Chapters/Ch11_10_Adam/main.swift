import OptimKit

ChapterMain.run(AdamChapter.self)
