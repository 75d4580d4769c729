-- Migration 8: the function PgDialect.appendLedger() takes a seq from (20 = PgDialect.TX_BITS,
-- 1048576 = 2^20). A seq subquery inside the insert was planned from the ledger's statistics when a
-- connection prepared it: on a ledger analysed while empty that plan scanned the whole ledger at every
-- append until the next autoanalyze. With sequential scans off inside the function, the probe is an
-- index range scan of the transaction's own entries whatever the statistics; txid_current() is
-- called once.

CREATE FUNCTION licensor_next_ledger_seq() RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_seqscan = off AS $$ DECLARE b bigint; BEGIN SELECT base + (txid_current() << 20) INTO b FROM ledger_feed; RETURN coalesce((SELECT max(seq) + 1 FROM ledger WHERE seq >= b AND seq < b + 1048576), b); END $$

