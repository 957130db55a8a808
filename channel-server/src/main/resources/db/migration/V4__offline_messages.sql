-- Chat messages to users who were offline, delivered (and deleted) at their next available presence.
CREATE TABLE offline_messages (
    id        bigserial PRIMARY KEY,
    jid       text        NOT NULL,
    stanza    text        NOT NULL,
    stored_at timestamptz NOT NULL
);
CREATE INDEX offline_messages_jid ON offline_messages (jid, id);
