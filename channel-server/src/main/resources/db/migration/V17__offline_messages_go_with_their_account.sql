-- Chat messages kept for an offline user go with the account: a deleted account's were never removed, and a new
-- account registered under the same name would have been handed them. (Found by the web tests' look into every store.)
DELETE FROM offline_messages o WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.jid = o.jid);
ALTER TABLE offline_messages ADD CONSTRAINT offline_messages_account FOREIGN KEY (jid) REFERENCES accounts (jid) ON DELETE CASCADE;
