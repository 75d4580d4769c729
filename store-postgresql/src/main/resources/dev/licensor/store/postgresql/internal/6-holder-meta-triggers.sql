-- Migration 6's triggers: a lease's or queue entry's pairs go with it when it is deleted, and when it
-- is written again (the upsert sets meta_count; the new pairs follow). The WHEN test runs without
-- calling the function, so rows without pairs cost nothing; the function resolves holder_meta in the
-- schema it was created in.

CREATE FUNCTION licensor_holder_meta_gone() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ BEGIN DELETE FROM holder_meta WHERE license_id = OLD.license_id AND kind = TG_ARGV[0] AND seat = OLD.hardware_id; RETURN NULL; END $$

CREATE TRIGGER lease_meta_gone AFTER DELETE OR UPDATE OF meta_count ON lease FOR EACH ROW WHEN (OLD.meta_count > 0) EXECUTE FUNCTION licensor_holder_meta_gone('lease')

CREATE TRIGGER seat_queue_meta_gone AFTER DELETE OR UPDATE OF meta_count ON seat_queue FOR EACH ROW WHEN (OLD.meta_count > 0) EXECUTE FUNCTION licensor_holder_meta_gone('queue')

