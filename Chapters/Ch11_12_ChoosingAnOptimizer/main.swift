import BookChapters

Book.main("Ch11_12_ChoosingAnOptimizer")
