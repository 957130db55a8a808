-- The push server's own facts: where each user is told things, their choices, and the work of telling them.
-- Channel membership comes from the service kit's read model (channel_members, channel_access).

-- Targets: an FCM registration token, a Web Push subscription or a mail address, each with the switches of the
-- original pusher's notification_settings (PROTOCOL.md §4) and its delivery status.
CREATE TABLE push_targets (
    id                         BIGSERIAL PRIMARY KEY,
    owner                      TEXT NOT NULL,
    type                       TEXT NOT NULL,
    address                    TEXT NOT NULL,
    -- Web Push subscription keys (RFC 8291): the client's P-256 public key and auth secret, base64url
    p256dh                     TEXT,
    auth                       TEXT,
    post_after_me              BOOLEAN NOT NULL,
    post_mentioned_me          BOOLEAN NOT NULL,
    post_on_my_channel         BOOLEAN NOT NULL,
    post_on_subscribed_channel BOOLEAN NOT NULL,
    follow_my_channel          BOOLEAN NOT NULL,
    follow_request             BOOLEAN NOT NULL,
    -- mail only: the secret of its confirmation and unsubscribe links; a mail address is told nothing until confirmed
    mail_token                 TEXT UNIQUE,
    confirmed                  BOOLEAN NOT NULL,
    created_at                 TIMESTAMPTZ NOT NULL,
    last_success_at            TIMESTAMPTZ,
    last_error_at              TIMESTAMPTZ,
    last_error                 TEXT,
    UNIQUE (owner, type, address)
);

CREATE INDEX push_targets_owner ON push_targets (owner);
CREATE INDEX push_targets_address ON push_targets (type, address);

-- What a user chose whatever the target: quiet hours in their time zone, the mail digest, post text through providers.
CREATE TABLE push_preferences (
    owner        TEXT PRIMARY KEY,
    quiet_from   TIME,
    quiet_until  TIME,
    time_zone    TEXT,
    digest       TEXT NOT NULL,
    post_text    BOOLEAN NOT NULL
);

CREATE TABLE push_muted_channels (
    owner   TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (owner, channel)
);

-- The work: one row per notice (or burst of notices, collapsed) per target, sent when due. A row is leased
-- while it is sent, so that replicas share the work and a crashed sender's rows come back; a digest row waits
-- for the digest that gathers it; a dead row (given up) waits to be published on the dead-letter topic.
CREATE TABLE push_deliveries (
    id           BIGSERIAL PRIMARY KEY,
    target_id    BIGINT NOT NULL REFERENCES push_targets (id) ON DELETE CASCADE,
    recipient    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    actor        TEXT NOT NULL,
    item_id      TEXT,
    -- only when the recipient lets post text through providers
    post_text    TEXT,
    notices      INT NOT NULL DEFAULT 1,
    collapse_key TEXT NOT NULL,
    digest       BOOLEAN NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    -- when the event that caused it happened (the post's commit): what the latency is measured from
    happened_at  TIMESTAMPTZ NOT NULL,
    attempts     INT NOT NULL DEFAULT 0,
    leased_until TIMESTAMPTZ,
    last_error   TEXT,
    dead         BOOLEAN NOT NULL DEFAULT FALSE
);

-- a burst for one target and channel that is not yet being sent becomes one row (held in quiet hours, or retrying)
CREATE UNIQUE INDEX push_deliveries_collapse ON push_deliveries (target_id, collapse_key)
    WHERE NOT digest AND leased_until IS NULL AND NOT dead;
CREATE INDEX push_deliveries_due ON push_deliveries (due_at) WHERE NOT dead;
CREATE INDEX push_deliveries_recipient ON push_deliveries (recipient);
CREATE INDEX push_deliveries_item ON push_deliveries (channel, item_id);

-- The VAPID key pair (RFC 8292), created at first start and kept: subscriptions are bound to its public key.
CREATE TABLE push_vapid_keys (
    id          INT PRIMARY KEY CHECK (id = 1),
    public_key  TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- When this push server first started: a partition it has no position for is read from then on, so that a new
-- push server does not notify anyone of the past.
CREATE TABLE push_started (
    id         INT PRIMARY KEY CHECK (id = 1),
    started_at TIMESTAMPTZ NOT NULL
);
INSERT INTO push_started (id, started_at) VALUES (1, now());
