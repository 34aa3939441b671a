-- Hand-written (no schema change; written by the search-topics work as 0006, renumbered after 0008 at the merge):
-- topics join the full-text search index, found by their question (title) and bottom line (body), kept in step by
-- triggers like the other kinds (see 0001_search.sql). Rowid: topics.id*8+5. The topics table is as 0000-0002 made
-- it (0007 rebuilt conditions and studies, 0008 only added topic_claims.importance), so nothing here depends on them.
-- The last statement indexes the topics that exist already (data migration).
CREATE VIEW `search_topic_docs` AS
SELECT t.id AS entity_id, t.id * 8 + 5 AS doc_rowid, 'topic' AS kind, t.slug AS ref, t.question AS title,
	t.bottom_line AS body
FROM topics t;
--> statement-breakpoint
CREATE TRIGGER `topics_search_ai` AFTER INSERT ON `topics` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_topic_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `topics_search_au` AFTER UPDATE OF slug, question, bottom_line ON `topics` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 5;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_topic_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `topics_search_ad` AFTER DELETE ON `topics` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 5;
END;
--> statement-breakpoint
INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_topic_docs;
