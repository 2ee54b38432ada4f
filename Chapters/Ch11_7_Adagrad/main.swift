import OptimKit

ChapterMain.run(AdagradChapter.self)
