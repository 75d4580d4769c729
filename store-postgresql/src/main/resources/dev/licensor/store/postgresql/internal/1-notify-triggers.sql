-- Migration 1's cache triggers (replaced by migration 9's change record): a NOTIFY per changed
-- lease, license and consumption, delivered at commit; a payload too long for NOTIFY becomes '*'.

CREATE FUNCTION licensor_notify_lease() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE payload text; BEGIN IF TG_OP <> 'INSERT' THEN payload := 's ' || OLD.license_id || ' ' || OLD.hardware_id; PERFORM pg_notify('licensor_' || TG_TABLE_SCHEMA, CASE WHEN octet_length(payload) > 7000 THEN '*' ELSE payload END); END IF; IF TG_OP <> 'DELETE' THEN payload := 's ' || NEW.license_id || ' ' || NEW.hardware_id; PERFORM pg_notify('licensor_' || TG_TABLE_SCHEMA, CASE WHEN octet_length(payload) > 7000 THEN '*' ELSE payload END); END IF; RETURN NULL; END $$

CREATE TRIGGER lease_notify AFTER INSERT OR UPDATE OR DELETE ON lease FOR EACH ROW EXECUTE FUNCTION licensor_notify_lease()

CREATE FUNCTION licensor_notify_license() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE payload text; BEGIN payload := 'l ' || NEW.id; PERFORM pg_notify('licensor_' || TG_TABLE_SCHEMA, CASE WHEN octet_length(payload) > 7000 THEN '*' ELSE payload END); RETURN NULL; END $$

CREATE TRIGGER license_notify AFTER UPDATE ON license FOR EACH ROW EXECUTE FUNCTION licensor_notify_license()

CREATE FUNCTION licensor_notify_consumption() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE payload text; BEGIN payload := 'c ' || (CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END); PERFORM pg_notify('licensor_' || TG_TABLE_SCHEMA, CASE WHEN octet_length(payload) > 7000 THEN '*' ELSE payload END); RETURN NULL; END $$

CREATE TRIGGER consumption_notify AFTER INSERT OR UPDATE OR DELETE ON consumption FOR EACH ROW EXECUTE FUNCTION licensor_notify_consumption()

