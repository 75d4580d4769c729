package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.License;
import dev.licensor.catalog.Product;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Holder;
import dev.licensor.outcome.Code;
import dev.licensor.policy.PoolPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * For stores that keep a holder's metadata pairs as rows of their own (the SQL stores' {@code
 * holder_meta}): after every path that writes or deletes a lease or queue entry, exactly the pairs
 * of the rows that exist are stored, none left behind (release, rewrite with other or no pairs,
 * force-release, deactivation, lapse sweep, queue promotion, queue lapse, license deletion). The
 * store's test supplies {@link #storedPairs}, counted in the database beside the store.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
public abstract class HolderMetaRowsContract extends ContractBase {

    /** Every metadata pair the store holds, of every lease and queue entry, counted in its database. */
    protected abstract long storedPairs() throws Exception;

    private static Map<String, String> pairs(int n, String tag) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(tag + "#" + i, i == 0 ? "" : "v " + i);
        }
        return m;
    }

    private DeviceRequest device(License pool, String hw, int pairs) {
        return DeviceRequest.byKey("cad", pool.key(), hw).withHolder(Holder.of("u-" + hw, null)
                .withMetadata(pairs(pairs, hw)));
    }

    private void expectPairs(long n, String after) throws Exception {
        assertThat(storedPairs()).as("pairs stored after " + after).isEqualTo(n);
    }

    @Test
    void everyDeletePathTakesTheRowsPairsWithIt() throws Exception {
        ok(licensor.catalog().defineProduct(new Product("cad", "CAD", TIMEOUT, MAX_BORROW)));
        License pool = ok(licensor.catalog().createLicense(License.builder("cad").key("META").maxActivations(50)
                .floatingSeats(2).build()));
        ok(licensor.catalog().setPolicy(pool.id(), PoolPolicy.parse("QUEUE 10")));
        for (String hw : new String[] {"a", "b", "c", "d", "e", "f"}) {
            ok(licensor.floating().activate(device(pool, hw, 0)));
        }
        expectPairs(0, "activations");

        ok(licensor.floating().check(device(pool, "a", 2)));
        ok(licensor.floating().check(device(pool, "b", 3)));
        expectPairs(5, "two checkouts");
        ok(licensor.floating().check(device(pool, "a", 4)));
        expectPairs(7, "a refresh with other pairs");
        ok(licensor.floating().check(device(pool, "a", 0)));
        expectPairs(3, "a refresh with none");
        assertThat(ok(licensor.floating().check(device(pool, "a", 1))).lease().holder().metadata())
                .isEqualTo(pairs(1, "a"));
        expectPairs(4, "a refresh with one");

        // the queue: c and d wait, with pairs; a release hands the seat to c, whose entry goes
        assertThat(licensor.floating().checkOrQueue(device(pool, "c", 2)).code()).isEqualTo(Code.QUEUED);
        assertThat(licensor.floating().checkOrQueue(device(pool, "d", 3)).code()).isEqualTo(Code.QUEUED);
        expectPairs(9, "two queue entries");
        ok(licensor.floating().release(device(pool, "b", 3)));
        expectPairs(6, "a release");
        ok(licensor.floating().check(device(pool, "c", 2)));
        expectPairs(6, "a queue entry promoted to a lease (its pairs moved)");

        ok(licensor.seats().forceRelease(pool.id(), "a"));
        expectPairs(5, "a force-release");
        ok(licensor.floating().deactivate(device(pool, "c", 0)));
        expectPairs(3, "a deactivation");

        // d's entry lapses unrefreshed and goes at the next decision on the pool
        clock.advance(TIMEOUT.multipliedBy(2));
        ok(licensor.floating().check(device(pool, "e", 2)));
        expectPairs(2, "a lapsed queue entry dropped");

        clock.advance(TIMEOUT.multipliedBy(2));
        assertThat(licensor.seats().purgeLapsed()).isEqualTo(1);
        expectPairs(0, "the lapse sweep");

        // a lapsed lease and a queue entry still stored when the license is deleted
        ok(licensor.floating().check(device(pool, "e", 2)));
        ok(licensor.floating().check(device(pool, "f", 1)));
        assertThat(licensor.floating().checkOrQueue(device(pool, "d", 3)).code()).isEqualTo(Code.QUEUED);
        expectPairs(6, "two leases and an entry");
        clock.advance(TIMEOUT.multipliedBy(2));
        ok(licensor.catalog().deleteLicense(pool.id()));
        expectPairs(0, "the license's deletion");
    }
}
