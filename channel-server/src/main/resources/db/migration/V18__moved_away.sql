-- Issue 20, after V16 was released: an export job's attempts, and an account that moved to another domain.
-- A job a replica took up this often (it ran out of memory, or its replicas keep dying) fails instead of again.
ALTER TABLE archive_exports ADD COLUMN attempts integer NOT NULL DEFAULT 0;
-- Its new server shows us the archive it brought (the export's id, its signed manifest's SHA-256 and our signature of
-- it) to say the account moved; the export row says whose archive that was.
ALTER TABLE archive_exports ADD COLUMN manifest_sha256 text; -- SHA-256 of the signed manifest.json
