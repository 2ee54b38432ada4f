import BookChapters

Book.main("Ch11_10_Adam")
