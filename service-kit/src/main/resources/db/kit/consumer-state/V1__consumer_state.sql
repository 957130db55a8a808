-- What the Kafka consumers that keep their state in this database record with it, in the same transaction
-- (service kit, ConsumerStateStore): where each partition goes on, and which events were applied.
CREATE TABLE consumer_positions (
    consumer    text   NOT NULL,
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (consumer, topic, partition)
);

-- Ids of applied events, so that an event published twice (at a new offset) is applied once; kept for a while.
CREATE TABLE consumer_applied_events (
    consumer   text        NOT NULL,
    event_id   text        NOT NULL,
    applied_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
-- forgetting old ids scans by age; BRIN suits a column that only grows and costs little to keep
CREATE INDEX consumer_applied_events_age ON consumer_applied_events USING brin (applied_at);
