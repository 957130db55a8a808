-- What must reach another domain's server even when it is away now (PROTOCOL.md §1.13, without the original's
-- in-memory queues): notifications for its users and its inbox, and our users' writes to its channels. Rows are
-- sent in id order per peer by one replica at a time (the one holding the peer's lease) and marked sent once written
-- (events) or answered (requests); sent rows stay a day, so that an event Kafka delivers again is not queued again.
-- No transaction is held while a stanza travels.
CREATE TABLE federation_peers (
    domain          text PRIMARY KEY,                    -- a line: capulet.lit (its notifications), channels.capulet.lit (requests)
    attempts        integer     NOT NULL DEFAULT 0,      -- failed attempts in a row, for the back-off
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    missed          boolean     NOT NULL DEFAULT false,  -- rows were dropped (too old): tell it you-missed-something
    last_error      text,
    sender          text,                                -- the replica working this line now
    lease_until     timestamptz                          -- until when; a replica that died leaves it to another after
);

CREATE TABLE federation_outbound (
    id          bigserial PRIMARY KEY,
    peer        text        NOT NULL REFERENCES federation_peers (domain) ON DELETE CASCADE,
    kind        text        NOT NULL,                    -- EVENT: written is enough; REQUEST: kept until answered
    dedupe_key  text        NOT NULL UNIQUE,             -- one stanza of an event for one address is queued once
    stanza      text        NOT NULL,
    requester   text,                                    -- who hears when a REQUEST is refused
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz                              -- NULL: still to send
);
CREATE INDEX federation_outbound_peer ON federation_outbound (peer, id) WHERE sent_at IS NULL;
CREATE INDEX federation_outbound_sent ON federation_outbound (sent_at) WHERE sent_at IS NOT NULL;

-- Events of ours the federation consumer has queued, kept a day: Kafka delivers again after a rebalance or a restart,
-- and an event queued twice would reach the other server twice, the second time after newer ones.
CREATE TABLE federation_consumed (
    event_id    text PRIMARY KEY,
    consumed_at timestamptz NOT NULL DEFAULT now()
);
