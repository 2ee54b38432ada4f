import BookChapters

Book.main("Ch11_1_OptimizationAndDeepLearning")
