-- XEP-0357 push registrations: the app servers (jid, node) a user's clients asked to be woken through while no
-- session of the user can take a message. Gone with the account.
CREATE TABLE push_registrations (
    owner        text        NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    app_server   text        NOT NULL,
    node         text        NOT NULL,
    -- the submitted publish-options form as JSON [{"var": …, "values": […]}], for the app server (e.g. its secret)
    options      text        NOT NULL,
    -- the form asked for the message's text (field include-body); off by default, so no text leaves the server
    include_body boolean     NOT NULL,
    enabled_at   timestamptz NOT NULL,
    PRIMARY KEY (owner, app_server, node)
);
