import BookChapters

Book.main("Ch11_8_RMSProp")
