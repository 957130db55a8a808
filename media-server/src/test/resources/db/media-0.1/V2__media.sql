-- One row per stored file; the bytes are in S3 under <channel>/<id>.
CREATE TABLE media (
    channel      TEXT NOT NULL,
    id           TEXT NOT NULL,
    uploader     TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    title        TEXT,
    description  TEXT,
    content_type TEXT NOT NULL,
    file_size    BIGINT NOT NULL,
    sha1         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    width        INT,
    height       INT,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel, id)
);

-- listing: newest first, keyset paging
CREATE INDEX media_by_channel_updated ON media (channel, updated_at DESC, id DESC);
