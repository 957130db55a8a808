-- Portable data (README "Portable data"): archives of an account made in the background, kept here a while for their
-- download link, and imports of such archives with the mapping that makes a second import change nothing.

-- The secret this domain signs its archives' manifests with (HMAC-SHA-256), made once. It never leaves the domain:
-- another domain asks us whether a signature is ours (POST /archives/verify) instead of holding it.
CREATE TABLE archive_keys (
    id         smallint PRIMARY KEY,
    secret     bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE archive_exports (
    id           uuid PRIMARY KEY,
    kind         text        NOT NULL DEFAULT 'account', -- account, or domain (an operator's: every account)
    account      text        NOT NULL,                -- the account's JID, or the domain's
    state        text        NOT NULL,                -- queued, running, ready, failed
    done         bigint      NOT NULL DEFAULT 0,      -- items written so far (posts, members, files)
    total        bigint      NOT NULL DEFAULT 0,      -- items to write, as counted when it started
    error        text,
    link_hash    bytea,                               -- SHA-256 of the download link's key; the key itself is never kept
    size         bigint,
    sha256       text,
    worker       text,                                -- the replica writing it
    created_at   timestamptz NOT NULL,
    heartbeat_at timestamptz,                         -- a running export whose worker went quiet is taken up again
    finished_at  timestamptz,
    expires_at   timestamptz                          -- then its bytes and its link go
);
CREATE INDEX archive_exports_account ON archive_exports (account, created_at);
CREATE INDEX archive_exports_waiting ON archive_exports (created_at) WHERE state IN ('queued', 'running');

-- The archive's bytes in 1 MiB pieces: every replica can serve the link, and no replica holds an archive in memory.
CREATE TABLE archive_chunks (
    export_id uuid    NOT NULL REFERENCES archive_exports (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea   NOT NULL,
    PRIMARY KEY (export_id, seq)
);

CREATE TABLE archive_imports (
    id           uuid PRIMARY KEY,
    kind         text        NOT NULL DEFAULT 'account',
    account      text        NOT NULL,
    archive_id   uuid        NOT NULL,                -- the manifest's id
    source       text        NOT NULL,                -- the archive's account (or domain)
    state        text        NOT NULL,                -- running, done, failed
    done         bigint      NOT NULL DEFAULT 0,
    total        bigint      NOT NULL DEFAULT 0,
    report       text,                                -- JSON: what was restored, what was there already, what was left out
    error        text,
    worker       text,
    created_at   timestamptz NOT NULL,
    heartbeat_at timestamptz,
    finished_at  timestamptz
);
CREATE INDEX archive_imports_account ON archive_imports (account, created_at);

-- What an import made of each thing of the archive (a channel, an item, a media file), per importing account:
-- what is mapped is not made again.
CREATE TABLE import_mappings (
    account text NOT NULL,
    kind    text NOT NULL,                            -- channel, post, media
    source  text NOT NULL,                            -- e.g. the post's global id in the archive
    target  text NOT NULL,
    PRIMARY KEY (account, kind, source)
);
