-- The channel read model's tables moved to the service kit's own migration (channel-read-model, 0.2):
-- installations that ran this script before keep them, and the kit finds them there.
SELECT 1;
