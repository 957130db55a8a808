-- XEP-0313 message archive: each local user's one-to-one messages, sent and received, in the order they were archived.
-- Rows go with the account (ON DELETE CASCADE), like its credentials.
CREATE TABLE message_archive (
    id        bigserial   PRIMARY KEY,
    owner     text        NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    stanza_id text        NOT NULL,
    with_jid  text        NOT NULL,
    stamp     timestamptz NOT NULL,
    outgoing  boolean     NOT NULL,
    stanza    text        NOT NULL
);
-- pages of the whole archive and time ranges (keyset on stamp, id); RSM after/before and 'ids' look up stanza ids;
-- pages with one contact
CREATE INDEX message_archive_owner_stamp ON message_archive (owner, stamp, id);
CREATE UNIQUE INDEX message_archive_owner_stanza_id ON message_archive (owner, stanza_id);
CREATE INDEX message_archive_owner_with ON message_archive (owner, with_jid, stamp, id);

-- XEP-0313 preferences: default 'always', 'never' or 'roster', and the JIDs always or never archived.
CREATE TABLE message_archive_prefs (
    owner        text   PRIMARY KEY REFERENCES accounts (jid) ON DELETE CASCADE,
    default_mode text   NOT NULL,
    always_jids  text[] NOT NULL,
    never_jids   text[] NOT NULL
);
