package dev.licensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.StoreWork;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Bad arguments to the ledger are refused with the library's one exception and never reach the store. */
class LedgerInputTest {
    private static final Instant T = Instant.parse("2026-01-05T09:00:00Z");

    /** A store that refuses to be used: bad input must be refused before any unit of work. */
    private static final LicenseStore UNUSED = new LicenseStore() {
        @Override
        public <T> T write(StoreWork<T> work) {
            throw new AssertionError("bad input reached the store (write)");
        }

        @Override
        public <T> T read(StoreWork<T> work) {
            throw new AssertionError("bad input reached the store (read)");
        }

        @Override
        public void close() {
        }
    };

    private final Licensor licensor = Licensor.builder().store(UNUSED).build();

    private static void invalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(LicensingException.class)
                .satisfies(e -> assertThat(((LicensingException) e).code()).isEqualTo(Code.INVALID_REQUEST));
    }

    @Test
    void readingNeedsBothBoundsAndAPageSize() {
        invalid(() -> licensor.ledger().between(null, T, 10));
        invalid(() -> licensor.ledger().between(T, null, 10));
        invalid(() -> licensor.ledger().between(T, T.plusSeconds(1), 0));
    }

    @Test
    void theFeedNeedsACursorFromZeroAndAPageSize() {
        invalid(() -> licensor.ledger().after(-1, 10));
        invalid(() -> licensor.ledger().after(0, 0));
        invalid(() -> licensor.ledger().after(0, 100_001));
    }

    @Test
    void aListenerIsRequiredWhenOneIsGiven() {
        assertThatThrownBy(() -> Licensor.builder().listener(null)).isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void pruningNeedsACutOffAndABatchSize() {
        invalid(() -> licensor.ledger().pruneBefore(null, 10));
        invalid(() -> licensor.ledger().pruneBefore(T, 0));
    }
}
