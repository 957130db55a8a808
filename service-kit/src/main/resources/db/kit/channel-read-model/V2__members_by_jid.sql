-- Where one JID stands in every channel (the search service filters each query by it): read by JID, not by channel.
CREATE INDEX IF NOT EXISTS channel_members_by_jid ON channel_members (jid);
