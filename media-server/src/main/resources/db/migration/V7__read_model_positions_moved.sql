-- The read model's positions now live in the service kit's consumer_positions (with its consumer's name); the
-- table of 0.1 is no longer read. Its model is applied again from the beginning of the topics, which leaves it
-- as it was (every channel event sets what it is about).
DROP TABLE IF EXISTS event_positions;
