-- Issue 20: an account that moved to another domain. Its new server shows us the archive it brought (the export's id,
-- its signed manifest's SHA-256 and our signature of it) to say so; the export row says whose archive that was.
ALTER TABLE archive_exports ADD COLUMN manifest_sha256 text; -- SHA-256 of the signed manifest.json
