-- Personal eventing (XEP-0163): each account's own pubsub nodes (avatars, nickname, bookmarks, OMEMO keys).
CREATE TABLE pep_nodes (
    owner        text    NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    node         text    NOT NULL,
    access_model text    NOT NULL,
    max_items    integer NOT NULL,
    PRIMARY KEY (owner, node)
);
CREATE TABLE pep_items (
    owner        text        NOT NULL,
    node         text        NOT NULL,
    item_id      text        NOT NULL,
    payload      text        NOT NULL,
    published_at timestamptz NOT NULL,
    seq          bigserial   NOT NULL,
    PRIMARY KEY (owner, node, item_id),
    FOREIGN KEY (owner, node) REFERENCES pep_nodes (owner, node) ON DELETE CASCADE
);
-- newest first, and the last item of a node at login
CREATE INDEX pep_items_newest ON pep_items (owner, node, seq DESC);

-- vcard-temp (XEP-0054), with the SHA-1 of its photo for XEP-0153 presence hashes
CREATE TABLE vcards (
    owner      text        PRIMARY KEY REFERENCES accounts (jid) ON DELETE CASCADE,
    vcard      text        NOT NULL,
    photo_hash text,
    updated_at timestamptz NOT NULL
);
