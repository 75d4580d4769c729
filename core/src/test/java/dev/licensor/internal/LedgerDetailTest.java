package dev.licensor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.floating.Holder;
import dev.licensor.floating.Lease;
import dev.licensor.storetests.StoredValuesContract;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ledger detail of a seat (issue 26, P6): whatever a user, host or metadata pair holds, the
 * usage report reads back exactly the user and host that were written, and nothing else poses as
 * one. A randomised property with a fixed seed per try.
 */
class LedgerDetailTest {
    private static final Instant AT = Instant.parse("2026-01-05T09:00:00Z");

    @Test
    void everyFieldReadsBackExactlyAndMetadataNeverPosesAsAUser() {
        for (int t = 0; t < 2_000; t++) {
            Random r = new Random(t);
            String user = r.nextInt(4) == 0 ? null : StoredValuesContract.name(r, 40);
            String host = StoredValuesContract.name(r, 40);
            String key = StoredValuesContract.name(r, 20) + (r.nextBoolean() ? "; user=root; y" : "");
            Holder holder = new Holder(user, host, null, Map.of(key, StoredValuesContract.name(r, 40) + "; user=root"));
            Lease lease = new Lease(1, "hw", AT, AT, AT.plusSeconds(600), null, "hw", holder, r.nextBoolean());
            String detail = Seats.describe(lease);
            assertThat(UsageReport.field(detail, "user")).as("seed %d: %s", t, detail).isEqualTo(user);
            assertThat(UsageReport.field(detail, "host")).as("seed %d: %s", t, detail).isEqualTo(host);
            assertThat(UsageReport.field(detail, "meta." + key)).as("seed %d", t).isEqualTo(holder.metadata().get(key));

            FloatingService.Target target = new FloatingService.Target("cad", "K", null, null, "hw", holder);
            String message = "excluded by 'EXCLUDE HOST " + host + "'" + Seats.who(target);
            assertThat(UsageReport.field(UsageReport.who(message), "user")).as("seed %d: %s", t, message).isEqualTo(user);
            assertThat(UsageReport.field(UsageReport.who(message), "host")).as("seed %d: %s", t, message).isEqualTo(host);
        }
        assertThat(UsageReport.who("no seat within PT0S")).isEmpty();
    }
}
