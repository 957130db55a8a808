-- The channel read model (service kit, ChannelReadModel): each channel's /posts access model and every JID's
-- affiliation and subscription there, from the channel events, never asked of the channel server per request.
-- The media server kept the same tables before 0.2; they are kept.
CREATE TABLE IF NOT EXISTS channel_access (
    channel      TEXT PRIMARY KEY,
    access_model TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS channel_members (
    channel      TEXT NOT NULL,
    jid          TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    subscription TEXT NOT NULL,
    PRIMARY KEY (channel, jid)
);
