UPDATE posts SET title = trim(title);
