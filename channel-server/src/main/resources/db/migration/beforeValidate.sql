-- 0.2 moved the outbox table out of V1 into the service kit's own migration. An installation whose V1 ran
-- before keeps its table (the kit finds it there); its history takes V1's new checksum so that validation
-- passes — for exactly the old script, nothing else.
DO $$
BEGIN
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        UPDATE flyway_schema_history SET checksum = -999403820 WHERE version = '1' AND checksum = -2035384110;
    END IF;
END $$;
