-- XEP-0363 uploads: one row per slot that was used, written before its first byte goes to S3 (key uploads/<slot_id>),
-- so a slot is used once; stored_at is set when the bytes are all there. A row still without stored_at long after
-- it started is an upload that never finished: the sweep removes its bytes and the row.
CREATE TABLE http_uploads (
    slot_id      TEXT PRIMARY KEY,
    uploader     TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_size    BIGINT NOT NULL,
    sha256       TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    stored_at    TIMESTAMPTZ
);

-- an account's uploads go with its deletion
CREATE INDEX http_uploads_by_uploader ON http_uploads (uploader);
CREATE INDEX http_uploads_unfinished ON http_uploads (started_at) WHERE stored_at IS NULL;
