import BookChapters

Book.main("Ch11_3_GradientDescent")
