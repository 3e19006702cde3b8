-- migtest:seed
INSERT INTO post (id, author_id, title) VALUES (10, 1, 'Hello'), (11, 2, 'Again');
INSERT INTO comment (id, post_id, content) VALUES (100, 10, 'First!');
-- migtest:expect
SELECT p.id, p.title, count(c.id) FROM post p LEFT JOIN comment c ON c.post_id = p.id GROUP BY p.id, p.title ORDER BY p.id;
