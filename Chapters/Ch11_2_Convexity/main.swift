import BookChapters

Book.main("Ch11_2_Convexity")
