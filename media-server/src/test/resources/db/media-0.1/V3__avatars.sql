-- A channel's avatar is one of its media; switching it is one row update, so concurrent uploads serialise here.
CREATE TABLE avatars (
    channel  TEXT PRIMARY KEY,
    media_id TEXT NOT NULL
);
