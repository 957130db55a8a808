-- A deleted account's codes still count towards their identifiers' allowance for the rest of their day, but no longer
-- name the account: its JID is cleared (Claims.forget).
ALTER TABLE friend_codes_sent ALTER COLUMN jid DROP NOT NULL;
