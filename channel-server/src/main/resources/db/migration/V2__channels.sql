-- Channels, their nodes (with their configuration as columns), memberships and items.
-- Enumerations are stored by their Java names (OPEN, OWNER, SUBSCRIBED, ...).

CREATE TABLE channels (
    jid          text PRIMARY KEY,
    channel_type text        NOT NULL,
    owner        text        NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE nodes (
    node                text PRIMARY KEY,             -- /user/<channel>/<type>
    channel             text             NOT NULL REFERENCES channels (jid) ON DELETE CASCADE,
    node_type           text             NOT NULL,    -- posts, status, geo/current, ...
    title               text             NOT NULL,
    description         text             NOT NULL,
    access_model        text             NOT NULL,
    default_affiliation text             NOT NULL,
    channel_type        text             NOT NULL,
    creator             text             NOT NULL,
    created_at          timestamptz      NOT NULL,
    updated_at          timestamptz      NOT NULL,
    advertised          boolean          NOT NULL,
    content_type        text             NOT NULL,
    latitude            double precision,
    longitude           double precision,
    location_text       text,
    -- kept with each insert and delete, so a page of items needs no count(*)
    item_count          bigint           NOT NULL DEFAULT 0,
    thread_count        bigint           NOT NULL DEFAULT 0
);
CREATE INDEX nodes_channel ON nodes (channel);

-- One row per node and JID with an affiliation or a subscription.
CREATE TABLE memberships (
    node         text        NOT NULL REFERENCES nodes (node) ON DELETE CASCADE,
    jid          text        NOT NULL,
    affiliation  text        NOT NULL,
    subscription text        NOT NULL,
    invited_by   text,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (node, jid)
);
CREATE INDEX memberships_jid ON memberships (jid, subscription);

-- Posts: the parsed columns the queries need, and the Atom entry as the server rewrote it, stored once.
CREATE TABLE items (
    node         text        NOT NULL REFERENCES nodes (node) ON DELETE CASCADE,
    id           text        NOT NULL,
    author       text        NOT NULL,
    in_reply_to  text,
    published    timestamptz NOT NULL,
    updated      timestamptz NOT NULL,
    title        text        NOT NULL,
    content      text        NOT NULL,
    content_type text        NOT NULL,
    rating       smallint,
    target_id    text,
    geo_lat      double precision,
    geo_lon      double precision,
    geo_text     text,
    media        text        NOT NULL DEFAULT '[]',    -- JSON array of {channel, id}
    extensions   text,
    entry        text        NOT NULL,
    words        tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || content)) STORED,
    PRIMARY KEY (node, id)
);
-- newest first within a node, all items or top-level only
CREATE INDEX items_node_updated ON items (node, updated DESC, id DESC);
CREATE INDEX items_node_threads ON items (node, updated DESC, id DESC) WHERE in_reply_to IS NULL;
-- replies of a post
CREATE INDEX items_replies ON items (node, in_reply_to, published) WHERE in_reply_to IS NOT NULL;
-- what an author wrote (account deletion, ratings)
CREATE INDEX items_author ON items (author);
-- across nodes: firehose and followed items
CREATE INDEX items_updated ON items (updated DESC, node DESC, id DESC);
-- full-text search of posts
CREATE INDEX items_words ON items USING gin (words);
