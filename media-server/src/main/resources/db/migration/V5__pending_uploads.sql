-- An upload on its way in: written before any byte goes to S3 and deleted in the transaction that
-- records the file. A row past its deadline is an upload that never finished (a crash, a client that
-- never confirmed its presigned transfer): the sweeper removes its object, then the row.
CREATE TABLE pending_uploads (
    channel       TEXT NOT NULL,
    id            TEXT NOT NULL,
    uploader      TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    title         TEXT,
    description   TEXT,
    content_type  TEXT NOT NULL,
    declared_size BIGINT NOT NULL, -- -1 when the client did not say
    direct        BOOLEAN NOT NULL, -- true: the client PUTs the bytes to S3 with a presigned URL, then confirms
    started_at    TIMESTAMPTZ NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel, id)
);

CREATE INDEX pending_uploads_by_deadline ON pending_uploads (deadline);
