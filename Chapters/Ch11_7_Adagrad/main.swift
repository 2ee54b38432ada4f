import BookChapters

Book.main("Ch11_7_Adagrad")
