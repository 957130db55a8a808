-- The outbox table moved to the service kit's own migration (outbox, 0.2): installations that ran this script
-- before keep it, and the kit finds it there.
SELECT 1;
