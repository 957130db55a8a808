-- Transactional outbox (service kit): a service's events are written with their change and relayed to Kafka
-- after commit (OutboxRelay). Services from before 0.2 created this table in their own migrations; it is kept.
CREATE TABLE IF NOT EXISTS outbox (
    id         bigserial PRIMARY KEY,
    event_id   text        NOT NULL UNIQUE,
    topic      text        NOT NULL, -- logical topic (ACCOUNTS, CHANNELS, ...); the relay maps it to a name
    event_type text        NOT NULL,
    subject    text        NOT NULL, -- the Kafka key
    source     text        NOT NULL,
    event_time timestamptz NOT NULL,
    data       bytea       NOT NULL, -- the JSON payload, byte for byte as published
    created_at timestamptz NOT NULL DEFAULT now()
);
