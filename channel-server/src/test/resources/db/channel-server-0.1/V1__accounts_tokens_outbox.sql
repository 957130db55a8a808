-- Accounts keep no password: only salted SCRAM keys per mechanism (RFC 5802 / RFC 7677).
-- token_generation: every access token carries the account's generation; a password change
-- moves it to a new, higher value from the sequence, which revokes every earlier token.
CREATE SEQUENCE token_generation;

CREATE TABLE accounts (
    jid              text PRIMARY KEY,
    email            text        NOT NULL,
    created_at       timestamptz NOT NULL,
    token_generation bigint      NOT NULL
);

CREATE TABLE scram_credentials (
    jid        text    NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    mechanism  text    NOT NULL,
    salt       bytea   NOT NULL,
    iterations integer NOT NULL CHECK (iterations >= 4096),
    stored_key bytea   NOT NULL,
    server_key bytea   NOT NULL,
    PRIMARY KEY (jid, mechanism)
);

-- Single-use, expiring reset tokens; only their SHA-256 is kept.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    jid        text        NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_expiry ON password_resets (expires_at);

-- Refresh tokens (SHA-256 only), grouped by login session; each is spent by one refresh.
CREATE TABLE refresh_tokens (
    token_hash       bytea PRIMARY KEY,
    session_id       text        NOT NULL,
    jid              text        NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    token_generation bigint      NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    revoked_at       timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Access-token signing keys, shared by all replicas. Whoever can read this table can sign tokens:
-- restrict database access accordingly.
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    private_key bytea       NOT NULL, -- PKCS#8
    public_key  bytea       NOT NULL, -- X.509 SubjectPublicKeyInfo
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz
);

-- Transactional outbox: events are written with the change and relayed to Kafka after commit.
CREATE TABLE outbox (
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
