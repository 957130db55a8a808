-- A retraction asked for with notify='0' (XEP-0060 §7.2, PROTOCOL.md §1.9): its event still goes to the other
-- services, but no replica notifies subscribers of it. Keyed by the retraction's moment, so that a later
-- retraction of an item republished with the same id is notified as usual; rows older than a day are cleared.
CREATE TABLE quiet_retractions (
    node         text        NOT NULL,
    item_id      text        NOT NULL,
    retracted_at timestamptz NOT NULL,
    PRIMARY KEY (node, item_id, retracted_at)
);
CREATE INDEX quiet_retractions_age ON quiet_retractions (retracted_at);
