-- Bytes whose file (or channel) is gone: written in the transaction that deletes the rows, removed from S3
-- right after the commit, and retried by the sweeper when that removal did not happen (S3 down, a crash).
CREATE TABLE doomed_objects (
    object_key TEXT NOT NULL,
    prefix     BOOLEAN NOT NULL, -- true: every object whose key starts with object_key
    doomed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (object_key, prefix)
);
