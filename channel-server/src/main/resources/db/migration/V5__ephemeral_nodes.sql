-- An ephemeral node (PROTOCOL.md §1.2): every follower is a moderator, the node ends with its last follower.
ALTER TABLE nodes ADD COLUMN ephemeral boolean NOT NULL DEFAULT false;
