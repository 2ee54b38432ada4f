import BookChapters

Book.main("Ch11_11_LRScheduling")
