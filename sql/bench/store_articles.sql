-- bench_scale: a generated batch of articles (registered relation bench_articles) into articles.
INSERT INTO articles BY NAME SELECT * FROM bench_articles;
