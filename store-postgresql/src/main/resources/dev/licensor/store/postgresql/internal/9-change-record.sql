-- Migration 9: the change record other hosts poll, in place of NOTIFY (PostgreSQL commits the
-- transactions that queued a NOTIFY one at a time, holding its queue lock through the WAL flush).
-- Statements are separated by blank lines. Both tables are UNLOGGED (no WAL; a crash or a failover
-- empties them, and pollers then find no mark and drop every cache).
-- xid: the writing transaction's id (txid_current(): 64 bits with epoch, PostgreSQL 12 too), the
-- position a poller reads by.
CREATE UNLOGGED TABLE change_log (
  xid BIGINT NOT NULL DEFAULT txid_current(),
  kind TEXT NOT NULL,
  id BIGINT NOT NULL,
  hardware_id TEXT)

CREATE INDEX change_log_xid ON change_log (xid)

-- One row: the record's epoch (new after a reset) and the position below which entries were pruned.
CREATE UNLOGGED TABLE change_mark (
  one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
  epoch BIGINT NOT NULL,
  pruned_below BIGINT NOT NULL)

INSERT INTO change_mark (epoch, pruned_below) VALUES ((random() * 9.2e18)::bigint, 0)

CREATE OR REPLACE FUNCTION licensor_notify_lease() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$ BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO change_log (kind, id, hardware_id) VALUES ('s', OLD.license_id, OLD.hardware_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
      AND (NEW.license_id, NEW.hardware_id) IS DISTINCT FROM (OLD.license_id, OLD.hardware_id)) THEN
    INSERT INTO change_log (kind, id, hardware_id) VALUES ('s', NEW.license_id, NEW.hardware_id);
  END IF;
  RETURN NULL; END $$

CREATE OR REPLACE FUNCTION licensor_notify_license() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$ BEGIN
  INSERT INTO change_log (kind, id) VALUES ('l', NEW.id);
  RETURN NULL; END $$

CREATE OR REPLACE FUNCTION licensor_notify_license_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$ BEGIN
  INSERT INTO change_log (kind, id) VALUES ('l', OLD.id);
  RETURN NULL; END $$

CREATE OR REPLACE FUNCTION licensor_notify_consumption() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$ BEGIN
  INSERT INTO change_log (kind, id)
    VALUES ('c', CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END);
  RETURN NULL; END $$
