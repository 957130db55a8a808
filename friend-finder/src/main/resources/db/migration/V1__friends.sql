-- The friend finder's own facts (README "Friend finding"). No identifier is kept in the clear: a claim holds it
-- sealed (AES-GCM under a key the database does not hold) and a keyed fingerprint that finds the same one again.

-- A user's claim that an identifier is theirs: pending until they enter the code sent to it, then verified;
-- found by others only while discoverable (opt-in). One verified holder per identifier.
CREATE TABLE friend_claims (
    id             TEXT PRIMARY KEY,
    jid            TEXT NOT NULL,
    medium         TEXT NOT NULL,
    sealed         BYTEA NOT NULL,
    fingerprint    TEXT NOT NULL,
    masked         TEXT NOT NULL,
    discoverable   BOOLEAN NOT NULL,
    verified_at    TIMESTAMPTZ,
    code_hash      TEXT,
    code_expires   TIMESTAMPTZ,
    failed_codes   INT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (jid, fingerprint)
);
CREATE INDEX friend_claims_jid ON friend_claims (jid);
CREATE UNIQUE INDEX friend_claims_one_holder ON friend_claims (fingerprint) WHERE verified_at IS NOT NULL;

-- The peppers clients hash with, newest last; the one before the newest is still taken for a grace period.
CREATE TABLE friend_peppers (
    id          SERIAL PRIMARY KEY,
    pepper      TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

-- What lookups match: the hash of each verified, discoverable claim under each pepper still taken (pepper 0: the
-- legacy unsalted hash, only while an operator has it on).
CREATE TABLE friend_hashes (
    pepper_id   INT NOT NULL,
    hash        TEXT NOT NULL,
    claim_id    TEXT NOT NULL REFERENCES friend_claims (id) ON DELETE CASCADE,
    PRIMARY KEY (pepper_id, hash, claim_id)
);
CREATE INDEX friend_hashes_claim ON friend_hashes (claim_id);

-- Hashes looked up per user per day (UTC), shared by the replicas: the daily allowance.
CREATE TABLE friend_lookups (
    jid     TEXT NOT NULL,
    day     DATE NOT NULL,
    hashes  INT NOT NULL,
    PRIMARY KEY (jid, day)
);

-- Codes sent, by account and by identifier: what the sending allowances count (kept a day).
CREATE TABLE friend_codes_sent (
    jid          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    sent_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX friend_codes_sent_jid ON friend_codes_sent (jid, sent_at);
CREATE INDEX friend_codes_sent_fingerprint ON friend_codes_sent (fingerprint, sent_at);
