-- scripts/realdev_labels.py: a set's article files (registered relation realdev_articles) into articles.
INSERT INTO articles BY NAME SELECT * FROM realdev_articles;
