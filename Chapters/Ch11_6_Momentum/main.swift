import BookChapters

Book.main("Ch11_6_Momentum")
