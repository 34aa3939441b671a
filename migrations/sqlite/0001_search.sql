-- Full-text search index (FTS5, bm25) over claims, conditions, interventions and studies, kept in step by
-- triggers, so every write updates it in the same transaction as the row. Rowids encode the kind:
-- claims.seq*8+1, conditions.id*8+2, interventions.id*8+3, studies.id*8+4 (updates and deletes hit one rowid).
CREATE VIRTUAL TABLE `search_index` USING fts5(
	kind UNINDEXED,
	ref UNINDEXED,
	title,
	body,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
--> statement-breakpoint
CREATE VIEW `search_claim_docs` AS
SELECT c.seq * 8 + 1 AS doc_rowid, 'claim' AS kind, c.id AS ref, c.statement AS title,
	trim(coalesce(c.plain_summary, '') || ' ' || coalesce(c.biomarker, '') || ' ' || coalesce(c.outcome, '') || ' ' ||
		coalesce((SELECT group_concat(i.name, ' ') FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id
			WHERE ci.claim_id = c.id), '')) AS body
FROM claims c;
--> statement-breakpoint
CREATE VIEW `search_condition_docs` AS
SELECT k.id AS entity_id, k.id * 8 + 2 AS doc_rowid, 'condition' AS kind, k.slug AS ref, k.name AS title,
	trim(coalesce((SELECT group_concat(synonym, ' ') FROM condition_synonyms WHERE condition_id = k.id), '') || ' ' ||
		coalesce(k.doid, '') || ' ' || coalesce(k.mesh_id, '') || ' ' || coalesce(k.description, '')) AS body
FROM conditions k;
--> statement-breakpoint
CREATE VIEW `search_intervention_docs` AS
SELECT i.id AS entity_id, i.id * 8 + 3 AS doc_rowid, 'intervention' AS kind, i.slug AS ref, i.name AS title,
	trim(coalesce((SELECT group_concat(synonym, ' ') FROM intervention_synonyms WHERE intervention_id = i.id), '') || ' ' ||
		coalesce(i.description, '')) AS body
FROM interventions i;
--> statement-breakpoint
CREATE VIEW `search_study_docs` AS
SELECT s.id AS entity_id, s.id * 8 + 4 AS doc_rowid, 'study' AS kind, s.pmid AS ref, coalesce(s.title, '') AS title,
	trim(coalesce(s.journal, '') || ' ' || coalesce(s.journal_iso, '') || ' ' || coalesce(s.citation_text, '')) AS body
FROM studies s;
--> statement-breakpoint
CREATE TRIGGER `claims_search_ai` AFTER INSERT ON `claims` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `claims_search_au` AFTER UPDATE OF statement, plain_summary, biomarker, outcome ON `claims` BEGIN
	DELETE FROM search_index WHERE rowid = old.seq * 8 + 1;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `claims_search_ad` AFTER DELETE ON `claims` BEGIN
	DELETE FROM search_index WHERE rowid = old.seq * 8 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `claim_interventions_search_ai` AFTER INSERT ON `claim_interventions` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT seq * 8 + 1 FROM claims WHERE id = new.claim_id);
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = new.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER `claim_interventions_search_ad` AFTER DELETE ON `claim_interventions` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT seq * 8 + 1 FROM claims WHERE id = old.claim_id);
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = old.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_ai` AFTER INSERT ON `conditions` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_au` AFTER UPDATE OF slug, name, description, doid, mesh_id ON `conditions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_ad` AFTER DELETE ON `conditions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
END;
--> statement-breakpoint
CREATE TRIGGER `condition_synonyms_search_ai` AFTER INSERT ON `condition_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = new.condition_id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.condition_id;
END;
--> statement-breakpoint
CREATE TRIGGER `condition_synonyms_search_ad` AFTER DELETE ON `condition_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = old.condition_id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = old.condition_id;
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_search_ai` AFTER INSERT ON `interventions` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_search_au` AFTER UPDATE OF slug, name, description ON `interventions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 3;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_search_ad` AFTER DELETE ON `interventions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 3;
END;
--> statement-breakpoint
CREATE TRIGGER `intervention_synonyms_search_ai` AFTER INSERT ON `intervention_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = new.intervention_id * 8 + 3;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE entity_id = new.intervention_id;
END;
--> statement-breakpoint
CREATE TRIGGER `intervention_synonyms_search_ad` AFTER DELETE ON `intervention_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = old.intervention_id * 8 + 3;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE entity_id = old.intervention_id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_ai` AFTER INSERT ON `studies` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_au` AFTER UPDATE OF title, journal, journal_iso, citation_text ON `studies` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_ad` AFTER DELETE ON `studies` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;
