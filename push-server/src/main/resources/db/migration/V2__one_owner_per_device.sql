-- A device (an FCM token, a Web Push endpoint) belongs to one user: whoever registered it last. The application
-- removed other owners' rows before inserting, but two registrations at once could both insert; the index makes
-- that impossible (the newest row of each device is kept).
DELETE FROM push_targets t USING push_targets newer
 WHERE t.type <> 'EMAIL' AND newer.type = t.type AND newer.address = t.address AND newer.id > t.id;
CREATE UNIQUE INDEX push_targets_one_owner_per_device ON push_targets (type, address) WHERE type <> 'EMAIL';
