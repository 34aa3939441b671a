-- HAND-WRITTEN (drizzle-kit cannot express these): the PostgreSQL twin of SQLite's full-text search index
-- (migrations/sqlite/0001_search.sql, 0007, 0008, 0009) and of its row-version triggers (0002, 0007).
--
-- Search: one table `search_index` with the same columns and the same rowid encoding as the FTS5 table
-- (claims.seq*8+1, conditions.id*8+2, interventions.id*8+3, studies.id*8+4, topics.id*8+5), plus `document`, a
-- tsvector of the title (weight A) and body (weight B) with a GIN index. The documents come from the same views as
-- on SQLite and are kept in step by triggers, in the writing transaction. Words are what FTS5's unicode61 tokenizer
-- with remove_diacritics makes of the text: ASCII punctuation separates words ("fibre-rich" is two), accents are
-- removed (unaccent), case is folded, and nothing is stemmed (the 'simple' configuration).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE FUNCTION search_words(input text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT unaccent(translate(coalesce(input, ''), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
$$;
--> statement-breakpoint
CREATE TABLE "search_index" (
	"rowid" bigint PRIMARY KEY NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"ref" text COLLATE "C" NOT NULL,
	"title" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"document" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_index_document_idx" ON "search_index" USING gin ("document");
--> statement-breakpoint
CREATE VIEW "search_claim_docs" AS
SELECT c.seq * 8 + 1 AS doc_rowid, 'claim' AS kind, c.id AS ref, c.statement AS title,
	trim(coalesce(c.plain_summary, '') || ' ' || coalesce(c.biomarker, '') || ' ' || coalesce(c.outcome, '') || ' ' ||
		coalesce((SELECT string_agg(i.name, ' ' ORDER BY ci.intervention_id) FROM claim_interventions ci
			JOIN interventions i ON i.id = ci.intervention_id WHERE ci.claim_id = c.id), '') || ' ' ||
		coalesce((SELECT p.population || ' ' || p.intervention || ' ' || coalesce(p.comparator, '') || ' ' || p.outcome || ' ' ||
			coalesce(p.outcome_code_display, '') FROM claim_picos p WHERE p.claim_id = c.id), '')) AS body
FROM claims c;
--> statement-breakpoint
CREATE VIEW "search_condition_docs" AS
SELECT k.id AS entity_id, k.id * 8 + 2 AS doc_rowid, 'condition' AS kind, k.slug AS ref, k.name AS title,
	trim(coalesce((SELECT string_agg(synonym, ' ' ORDER BY synonym) FROM condition_synonyms WHERE condition_id = k.id), '') || ' ' ||
		coalesce(k.doid, '') || ' ' || coalesce(k.mesh_id, '') || ' ' || coalesce(k.description, '')) AS body
FROM conditions k;
--> statement-breakpoint
CREATE VIEW "search_intervention_docs" AS
SELECT i.id AS entity_id, i.id * 8 + 3 AS doc_rowid, 'intervention' AS kind, i.slug AS ref, i.name AS title,
	trim(coalesce((SELECT string_agg(synonym, ' ' ORDER BY synonym) FROM intervention_synonyms WHERE intervention_id = i.id), '') || ' ' ||
		coalesce(i.description, '')) AS body
FROM interventions i;
--> statement-breakpoint
CREATE VIEW "search_study_docs" AS
SELECT s.id AS entity_id, s.id * 8 + 4 AS doc_rowid, 'study' AS kind, s.key AS ref, coalesce(s.title, '') AS title,
	trim(coalesce(s.journal, '') || ' ' || coalesce(s.journal_iso, '') || ' ' || coalesce(s.citation_text, '')) AS body
FROM studies s;
--> statement-breakpoint
CREATE VIEW "search_topic_docs" AS
SELECT t.id AS entity_id, t.id * 8 + 5 AS doc_rowid, 'topic' AS kind, t.slug AS ref, t.question AS title,
	t.bottom_line AS body
FROM topics t;
--> statement-breakpoint
-- Re-indexes one document: removes its row, then inserts it again from its view when the entity still exists.
CREATE FUNCTION search_reindex(p_rowid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM search_index WHERE rowid = p_rowid;
	INSERT INTO search_index (rowid, kind, ref, title, body, document)
	SELECT d.doc_rowid, d.kind, d.ref, d.title, d.body,
		setweight(to_tsvector('simple', search_words(d.title)), 'A') || setweight(to_tsvector('simple', search_words(d.body)), 'B')
	FROM (
		SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE p_rowid % 8 = 1 AND doc_rowid = p_rowid
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE p_rowid % 8 = 2 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE p_rowid % 8 = 3 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE p_rowid % 8 = 4 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_topic_docs WHERE p_rowid % 8 = 5 AND entity_id = p_rowid / 8
	) d;
END $$;
--> statement-breakpoint
-- The document a row belongs to, for each table whose rows feed one: TG_ARGV[0] names how to find it.
CREATE FUNCTION search_index_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
	CASE TG_ARGV[0]
		WHEN 'claim' THEN PERFORM search_reindex(r.seq * 8 + 1);
		WHEN 'claim_child' THEN PERFORM search_reindex(c.seq * 8 + 1) FROM claims c WHERE c.id = r.claim_id;
		WHEN 'condition' THEN PERFORM search_reindex(r.id * 8 + 2);
		WHEN 'condition_child' THEN PERFORM search_reindex(r.condition_id * 8 + 2);
		WHEN 'intervention' THEN PERFORM search_reindex(r.id * 8 + 3);
		WHEN 'intervention_child' THEN PERFORM search_reindex(r.intervention_id * 8 + 3);
		WHEN 'study' THEN PERFORM search_reindex(r.id * 8 + 4);
		WHEN 'topic' THEN PERFORM search_reindex(r.id * 8 + 5);
	END CASE;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "claims_search_ai" AFTER INSERT ON "claims" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('claim');
--> statement-breakpoint
CREATE TRIGGER "claims_search_au" AFTER UPDATE OF statement, plain_summary, biomarker, outcome ON "claims" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('claim');
--> statement-breakpoint
CREATE TRIGGER "claims_search_ad" AFTER DELETE ON "claims" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('claim');
--> statement-breakpoint
CREATE TRIGGER "claim_interventions_search_ai" AFTER INSERT OR DELETE ON "claim_interventions" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('claim_child');
--> statement-breakpoint
CREATE TRIGGER "claim_picos_search_aiud" AFTER INSERT OR UPDATE OR DELETE ON "claim_picos" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('claim_child');
--> statement-breakpoint
CREATE TRIGGER "conditions_search_ai" AFTER INSERT OR DELETE ON "conditions" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('condition');
--> statement-breakpoint
CREATE TRIGGER "conditions_search_au" AFTER UPDATE OF slug, name, description, doid, mesh_id ON "conditions" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('condition');
--> statement-breakpoint
CREATE TRIGGER "condition_synonyms_search_aid" AFTER INSERT OR DELETE ON "condition_synonyms" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('condition_child');
--> statement-breakpoint
CREATE TRIGGER "interventions_search_aid" AFTER INSERT OR DELETE ON "interventions" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('intervention');
--> statement-breakpoint
CREATE TRIGGER "interventions_search_au" AFTER UPDATE OF slug, name, description ON "interventions" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('intervention');
--> statement-breakpoint
CREATE TRIGGER "intervention_synonyms_search_aid" AFTER INSERT OR DELETE ON "intervention_synonyms" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('intervention_child');
--> statement-breakpoint
CREATE TRIGGER "studies_search_aid" AFTER INSERT OR DELETE ON "studies" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('study');
--> statement-breakpoint
CREATE TRIGGER "studies_search_au" AFTER UPDATE OF title, journal, journal_iso, citation_text ON "studies" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('study');
--> statement-breakpoint
CREATE TRIGGER "topics_search_aid" AFTER INSERT OR DELETE ON "topics" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('topic');
--> statement-breakpoint
CREATE TRIGGER "topics_search_au" AFTER UPDATE OF slug, question, bottom_line ON "topics" FOR EACH ROW EXECUTE FUNCTION search_index_trigger('topic');
--> statement-breakpoint
-- Row versions for If-Match (SQLite's `*_version_au` triggers): every UPDATE of a curated row bumps its version,
-- unless the UPDATE itself set a new one.
CREATE FUNCTION bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "claims_version_bu" BEFORE UPDATE ON "claims" FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER "conditions_version_bu" BEFORE UPDATE ON "conditions" FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER "interventions_version_bu" BEFORE UPDATE ON "interventions" FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER "studies_version_bu" BEFORE UPDATE ON "studies" FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER "topics_version_bu" BEFORE UPDATE ON "topics" FOR EACH ROW EXECUTE FUNCTION bump_row_version();
