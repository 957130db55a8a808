-- Who follows /firehose live (PROTOCOL.md §1.10): every replica notifies its own sessions of these users of
-- each new post the public may read.
CREATE TABLE firehose_subscriptions (
    jid        text        PRIMARY KEY,
    subscribed timestamptz NOT NULL
);
