-- Server Dialback (XEP-0220): the secret that dialback keys are made with, generated once and shared by every
-- replica, so that whichever replica a remote server's verification reaches can tell a key of ours from a forgery.
CREATE TABLE federation_secrets (
    name       text PRIMARY KEY,
    secret     text NOT NULL,
    created_at timestamptz NOT NULL
);
