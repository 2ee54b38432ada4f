import OptimKit

ChapterMain.run(GradientDescentChapter.self)
