DROP TABLE IF EXISTS temp.quality_vocabulary;
