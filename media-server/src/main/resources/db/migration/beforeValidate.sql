-- 0.2 moved the channel read model (V1) and the outbox (V4) into the service kit's own migrations. An
-- installation that ran the old scripts keeps their tables (the kit finds them there); its history takes the
-- scripts' new checksums so that validation passes — for exactly the old scripts, nothing else.
DO $$
BEGIN
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        UPDATE flyway_schema_history SET checksum = 296975106 WHERE version = '1' AND checksum = 1258484096;
        UPDATE flyway_schema_history SET checksum = -1246140903 WHERE version = '4' AND checksum = -818556335;
    END IF;
END $$;
