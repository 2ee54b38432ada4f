import BookChapters

Book.main("Ch11_5_MinibatchSGD")
