-- Hand-written data migration, no schema change (issue 10, access rules): revisions and claim reviews name an API key
-- by its id (`key:7`), no longer by its name (`key:alice`). Revisions are public and a key's name often names a person;
-- callers with a key see the name beside the id (src/resources/history/history.access.ts). Each `key:<name>` becomes
-- the id of the key of that name; when several keys share it, the one created most recently at or before the change
-- (else the oldest). A name that matches no key is left as it is. Keys whose names are digits are left out of the
-- rewrites inside JSON (the second pass must not take an id just written for such a name).
UPDATE revisions SET actor = 'key:' || (
	SELECT k.id FROM api_keys k WHERE 'key:' || k.name = revisions.actor
	ORDER BY k.created_at <= revisions.created_at DESC,
		CASE WHEN k.created_at <= revisions.created_at THEN -k.id ELSE k.id END
	LIMIT 1)
WHERE actor LIKE 'key:%' AND EXISTS (SELECT 1 FROM api_keys k WHERE 'key:' || k.name = revisions.actor);
--> statement-breakpoint
UPDATE claims SET reviewed_by = 'key:' || (
	SELECT k.id FROM api_keys k WHERE 'key:' || k.name = claims.reviewed_by
	ORDER BY k.created_at <= coalesce(claims.reviewed_at, claims.updated_at) DESC,
		CASE WHEN k.created_at <= coalesce(claims.reviewed_at, claims.updated_at) THEN -k.id ELSE k.id END
	LIMIT 1)
WHERE reviewed_by LIKE 'key:%' AND EXISTS (SELECT 1 FROM api_keys k WHERE 'key:' || k.name = claims.reviewed_by);
--> statement-breakpoint
-- A claim's snapshot holds one review (`"reviewed_by":"key:<name>"`); its field diff up to two (before and after):
-- the diff is rewritten twice, each pass taking one name.
UPDATE revisions SET snapshot = (
	SELECT replace(revisions.snapshot, '"reviewed_by":"key:' || k.name || '"', '"reviewed_by":"key:' || k.id || '"')
	FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.snapshot, '"reviewed_by":"key:' || k.name || '"') > 0
	ORDER BY k.created_at <= revisions.created_at DESC, k.id DESC LIMIT 1)
WHERE entity = 'claim' AND snapshot LIKE '%"reviewed_by":"key:%' AND EXISTS (
	SELECT 1 FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.snapshot, '"reviewed_by":"key:' || k.name || '"') > 0);
--> statement-breakpoint
UPDATE revisions SET changes = (
	SELECT replace(revisions.changes, '"reviewed_by":"key:' || k.name || '"', '"reviewed_by":"key:' || k.id || '"')
	FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.changes, '"reviewed_by":"key:' || k.name || '"') > 0
	ORDER BY k.created_at <= revisions.created_at DESC, k.id DESC LIMIT 1)
WHERE entity = 'claim' AND changes LIKE '%"reviewed_by":"key:%' AND EXISTS (
	SELECT 1 FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.changes, '"reviewed_by":"key:' || k.name || '"') > 0);
--> statement-breakpoint
UPDATE revisions SET changes = (
	SELECT replace(revisions.changes, '"reviewed_by":"key:' || k.name || '"', '"reviewed_by":"key:' || k.id || '"')
	FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.changes, '"reviewed_by":"key:' || k.name || '"') > 0
	ORDER BY k.created_at <= revisions.created_at DESC, k.id DESC LIMIT 1)
WHERE entity = 'claim' AND changes LIKE '%"reviewed_by":"key:%' AND EXISTS (
	SELECT 1 FROM api_keys k WHERE k.name GLOB '*[^0-9]*' AND instr(revisions.changes, '"reviewed_by":"key:' || k.name || '"') > 0);
