import BookChapters

Book.main("Ch11_4_SGD")
