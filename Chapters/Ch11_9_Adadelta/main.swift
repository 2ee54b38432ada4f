import BookChapters

Book.main("Ch11_9_Adadelta")
