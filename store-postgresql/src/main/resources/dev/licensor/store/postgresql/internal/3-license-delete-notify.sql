-- Migration 3's tail: a deleted license is announced like a changed one, so other hosts' caches drop it.

CREATE FUNCTION licensor_notify_license_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE payload text; BEGIN payload := 'l ' || OLD.id; PERFORM pg_notify('licensor_' || TG_TABLE_SCHEMA, CASE WHEN octet_length(payload) > 7000 THEN '*' ELSE payload END); RETURN NULL; END $$

CREATE TRIGGER license_delete_notify AFTER DELETE ON license FOR EACH ROW EXECUTE FUNCTION licensor_notify_license_deleted()
