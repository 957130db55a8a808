-- Channel server replicas on one domain (issue 15). Each replica keeps its sessions in memory and says here which
-- full JIDs it holds, so that the others route to them (over LISTEN/NOTIFY) and keep a message offline only when
-- the user is online nowhere. A replica that stops beating for long is taken for dead and its rows are removed.
CREATE TABLE xmpp_replicas (
    replica  text        PRIMARY KEY,
    seen_at  timestamptz NOT NULL
);

CREATE TABLE xmpp_sessions (
    full_jid         text        PRIMARY KEY,
    bare_jid         text        NOT NULL,
    replica          text        NOT NULL,
    encrypted        boolean     NOT NULL,
    available_since  timestamptz,
    presence         text,
    carbons          boolean     NOT NULL DEFAULT false,
    roster_pushes    boolean     NOT NULL DEFAULT false,
    blocklist_pushes boolean     NOT NULL DEFAULT false,
    -- the PEP nodes the resource wants notifications of (XEP-0163 +notify), one per line
    pep_notify       text        NOT NULL DEFAULT ''
);
CREATE INDEX xmpp_sessions_bare ON xmpp_sessions (bare_jid);
CREATE INDEX xmpp_sessions_replica ON xmpp_sessions (replica);

-- stanzas too large for a NOTIFY payload wait here for the replica they were sent to
CREATE TABLE xmpp_relayed_stanzas (
    id          bigserial   PRIMARY KEY,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- which replica an external component (XEP-0114) is connected to: one connection per name across the replicas, and
-- stanzas for it from users of the other replicas go there
CREATE TABLE xmpp_components (
    name     text PRIMARY KEY,
    replica  text NOT NULL
);
