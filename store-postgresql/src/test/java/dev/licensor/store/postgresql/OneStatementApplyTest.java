package dev.licensor.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.licensor.Licensor;
import dev.licensor.floating.Activation;
import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.ledger.LedgerEvent;
import dev.licensor.outcome.Code;
import dev.licensor.store.Key;
import dev.licensor.store.LockKey;
import dev.licensor.store.PoolChanges;
import dev.licensor.store.Query;
import dev.licensor.store.jdbc.JdbcTransaction;
import dev.licensor.store.postgresql.testing.PgExtension;
import dev.licensor.store.postgresql.testing.PgServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code apply(PoolChanges)} as one statement of data-modifying CTEs (store-jdbc's {@code PoolSql}):
 * every kind of write in one change set lands as the statement-per-write path would write it,
 * with the ledger's seqs in list order; a seat deleted and put, or an activation put and deleted,
 * still in one statement with the sequential result; and a change set that changes a blacklist
 * entry twice, or carries holder metadata pairs, runs one statement per write (counted).
 */
@ExtendWith(PgExtension.class)
class OneStatementApplyTest {
    private static final Instant T = Instant.parse("2026-12-08T00:00:00Z");

    private HikariDataSource pool;
    private PostgresLicenseStore store;
    private long id;

    @BeforeEach
    void open() {
        pool = Fixtures.fastPool(PgServer.shared(), 2, Duration.ofSeconds(30));
        store = Fixtures.open(pool, PgServer.freshSchema("apply1"));
        Licensor licensor = Fixtures.licensor(store);
        id = Fixtures.define(licensor, 4, 1);
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    private long[] apply(PoolChanges changes) {
        return store.write(tx -> {
            tx.lock(LockKey.CATALOG, LockKey.pool(id));
            return tx.apply(changes);
        });
    }

    private long fallbacks() {
        return store.read(tx -> ((JdbcTransaction) tx).applyFallbacks());
    }

    private Lease lease(String key) {
        return new Lease(id, key, T, T, T.plusSeconds(600), null);
    }

    private LedgerEntry entry(String subject) {
        return new LedgerEntry(0, T, LedgerEvent.GRANTED, id, 0, subject, Code.OK, "");
    }

    private Optional<Lease> leaseOf(String key) {
        return store.read(tx -> tx.find(Key.lease(id, key)));
    }

    @Test
    void everyKindOfWriteInOneStatementLandsWithSeqsInListOrder() {
        apply(new PoolChanges(id, null, null, List.of(), List.of(lease("gone"), lease("kept")), List.of(), List.of(),
                null, List.of(), List.of()));
        long before = fallbacks();
        PoolChanges all = new PoolChanges(id, null, new Activation(id, "hw-new", T), List.of("gone", "absent"),
                List.of(lease("a"), lease("b").withTimes(T, T.plusSeconds(60), null)), List.of(), List.of(), "hw-none",
                List.of(new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "bad", T, true),
                        new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "never", T, false)),
                List.of(entry("first"), entry("second"), entry("third")));
        long[] seqs = apply(all);

        assertThat(fallbacks()).isEqualTo(before);
        assertThat(seqs).hasSize(3);
        assertThat(seqs[0]).isLessThan(seqs[1]);
        assertThat(seqs[1]).isLessThan(seqs[2]);
        List<LedgerEntry> ledger = store.read(tx -> tx.list(new Query.LedgerBetween(T, T.plusSeconds(1), 10)));
        assertThat(ledger).extracting(LedgerEntry::subject).containsExactly("first", "second", "third");
        assertThat(ledger).extracting(LedgerEntry::seq).containsExactly(seqs[0], seqs[1], seqs[2]);
        assertThat(leaseOf("gone")).isEmpty();
        assertThat(leaseOf("kept")).isPresent();
        assertThat(leaseOf("a")).contains(lease("a"));
        assertThat(leaseOf("b")).contains(lease("b").withTimes(T, T.plusSeconds(60), null));
        Optional<Activation> activation = store.read(tx -> tx.find(Key.activation(id, "hw-new")));
        assertThat(activation).contains(new Activation(id, "hw-new", T));
        Optional<Boolean> blacklisted = store.read(tx -> tx.find(Key.blacklisted(Fixtures.PRODUCT, "bad")));
        assertThat(blacklisted).contains(Boolean.TRUE);
    }

    @Test
    void aSeatDeletedAndPutIsItsPutAndAnActivationPutAndDeletedIsGone() {
        apply(new PoolChanges(id, null, new Activation(id, "hw-k", T), List.of(), List.of(lease("k")), List.of(),
                List.of(), null, List.of(), List.of()));
        long before = fallbacks();
        Lease renewed = lease("k").withTimes(T, T.plusSeconds(900), null);
        apply(new PoolChanges(id, null, new Activation(id, "hw-k", T.plusSeconds(5)), List.of("k"), List.of(renewed),
                List.of(), List.of(), "hw-k", List.of(), List.of(entry("renewed"))));
        assertThat(fallbacks()).isEqualTo(before);
        assertThat(leaseOf("k")).contains(renewed); // deleted, then put: the put stands
        Optional<Activation> activation = store.read(tx -> tx.find(Key.activation(id, "hw-k")));
        assertThat(activation).isEmpty(); // put, then deleted
    }

    @Test
    void aBlacklistEntryChangedTwiceRunsAStatementPerWriteInOrder() {
        long before = fallbacks();
        apply(new PoolChanges(id, null, null, List.of(), List.of(), List.of(), List.of(), null,
                List.of(new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "hw-x", T, true),
                        new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "hw-x", T, false),
                        new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "hw-y", T, false),
                        new PoolChanges.BlacklistChange(Fixtures.PRODUCT, "hw-y", T, true)),
                List.of(entry("x"))));
        assertThat(fallbacks()).isEqualTo(before + 1);
        Optional<Boolean> x = store.read(tx -> tx.find(Key.blacklisted(Fixtures.PRODUCT, "hw-x")));
        Optional<Boolean> y = store.read(tx -> tx.find(Key.blacklisted(Fixtures.PRODUCT, "hw-y")));
        assertThat(x).isEmpty(); // added, then removed
        assertThat(y).contains(Boolean.TRUE); // removed, then added
    }

    @Test
    void aPutWithMetadataPairsRunsAStatementPerWriteAndKeepsItsPairs() {
        long before = fallbacks();
        Lease paired = new Lease(id, "m", T, T, T.plusSeconds(600), null, "m",
                Holder.of("alice", "ws-1").withMetadata(Map.of("env", "prod")), false);
        apply(new PoolChanges(id, null, null, List.of(), List.of(paired), List.of(), List.of(), null, List.of(),
                List.of(entry("paired"))));
        assertThat(fallbacks()).isEqualTo(before + 1);
        assertThat(leaseOf("m")).contains(paired);
        Lease again = new Lease(id, "m", T, T, T.plusSeconds(700), null, "m",
                Holder.of("alice", "ws-1").withMetadata(Map.of("env", "test")), false);
        apply(new PoolChanges(id, null, null, List.of(), List.of(again), List.of(), List.of(), null, List.of(),
                List.of()));
        assertThat(leaseOf("m")).contains(again);
    }
}
