-- Rosters (RFC 6121): one row per (owner, contact) holding the owner's side of the subscription.
-- listed = false: a contact the owner never added, kept only for a pending inbound request.
CREATE TABLE roster_items (
    owner        text    NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    contact      text    NOT NULL,
    name         text,
    groups       text[]  NOT NULL DEFAULT '{}',
    sub_to       boolean NOT NULL DEFAULT false,
    sub_from     boolean NOT NULL DEFAULT false,
    pending_out  boolean NOT NULL DEFAULT false,
    pending_in   boolean NOT NULL DEFAULT false,
    pre_approved boolean NOT NULL DEFAULT false,
    listed       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (owner, contact)
);
-- who gets a user's presence: read at every login and presence change
CREATE INDEX roster_items_subscribers ON roster_items (owner) WHERE sub_from;

-- Blocklists (XEP-0191): entries are full, bare or domain JIDs.
CREATE TABLE blocklist_entries (
    owner   text NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    blocked text NOT NULL,
    PRIMARY KEY (owner, blocked)
);
