-- What the media server knows of channel permissions, from the channel events (never asked per request):
-- each channel's /posts access model and every JID's affiliation and subscription there.
CREATE TABLE channel_access (
    channel      TEXT PRIMARY KEY,
    access_model TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE channel_members (
    channel      TEXT NOT NULL,
    jid          TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    subscription TEXT NOT NULL,
    PRIMARY KEY (channel, jid)
);

-- How far the read model has applied each partition; written in the same transaction as what was applied,
-- so a restart (or another replica) neither skips nor re-applies an event out of order.
CREATE TABLE event_positions (
    topic       TEXT NOT NULL,
    partition   INT NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, partition)
);
