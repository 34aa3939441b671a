-- HAND-WRITTEN: re-indexing one claim's search document must read that claim by its key, not scan every claim.
-- search_reindex found a claim's document with `doc_rowid = p_rowid`, and `doc_rowid` is `c.seq * 8 + 1`, an
-- expression no index serves: each claim write (and each row of an import or `npm run db:copy`) read the whole claims
-- table, so writes slowed with the number of claims (a 100k-claim copy ran for over half an hour). The view gains
-- `entity_id` (claims.seq, the primary key) as its last column (CREATE OR REPLACE VIEW may only add columns at the
-- end), and search_reindex filters every kind by `entity_id = p_rowid / 8`, as it already did for the other kinds.
-- SQLite's triggers select the document by `ref = claims.id` (indexed) and need no change.
CREATE OR REPLACE VIEW "search_claim_docs" AS
SELECT c.seq * 8 + 1 AS doc_rowid, 'claim' AS kind, c.id AS ref, c.statement AS title,
	trim(coalesce(c.plain_summary, '') || ' ' || coalesce(c.biomarker, '') || ' ' || coalesce(c.outcome, '') || ' ' ||
		coalesce((SELECT string_agg(i.name, ' ' ORDER BY ci.intervention_id) FROM claim_interventions ci
			JOIN interventions i ON i.id = ci.intervention_id WHERE ci.claim_id = c.id), '') || ' ' ||
		coalesce((SELECT p.population || ' ' || p.intervention || ' ' || coalesce(p.comparator, '') || ' ' || p.outcome || ' ' ||
			coalesce(p.outcome_code_display, '') FROM claim_picos p WHERE p.claim_id = c.id), '')) AS body,
	c.seq AS entity_id
FROM claims c;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_reindex(p_rowid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM search_index WHERE rowid = p_rowid;
	INSERT INTO search_index (rowid, kind, ref, title, body, document)
	SELECT d.doc_rowid, d.kind, d.ref, d.title, d.body,
		setweight(to_tsvector('simple', search_words(d.title)), 'A') || setweight(to_tsvector('simple', search_words(d.body)), 'B')
	FROM (
		SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE p_rowid % 8 = 1 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE p_rowid % 8 = 2 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_intervention_docs WHERE p_rowid % 8 = 3 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE p_rowid % 8 = 4 AND entity_id = p_rowid / 8
		UNION ALL SELECT doc_rowid, kind, ref, title, body FROM search_topic_docs WHERE p_rowid % 8 = 5 AND entity_id = p_rowid / 8
	) d;
END $$;
