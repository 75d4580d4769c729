package dev.licensor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SPI's shape (issue 19): at most twelve methods a store implements, none of them a default, and
 * closed sets of typed lookups, ranges, counts and changes that refuse malformed values.
 */
class SpiShapeTest {

    private static List<Method> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    @Test
    void aStoreImplementsElevenMethodsAndInheritsNone() {
        List<Method> tx = abstractMethods(StoreTransaction.class);
        List<Method> store = abstractMethods(LicenseStore.class);
        assertThat(tx).extracting(Method::getName).containsExactlyInAnyOrder(
                "lock", "loadPool", "apply", "find", "list", "count", "apply", "prune");
        assertThat(store).extracting(Method::getName).containsExactlyInAnyOrder("write", "read", "close");
        assertThat(tx.size() + store.size()).isLessThanOrEqualTo(12);
        assertThat(tx).noneMatch(Method::isDefault);
        assertThat(store).noneMatch(Method::isDefault);
    }

    @Test
    void theKeyQueryCountAndChangeSetsAreClosed() {
        assertThat(Key.class.isSealed()).isTrue();
        assertThat(Query.class.isSealed()).isTrue();
        assertThat(Count.class.isSealed()).isTrue();
        assertThat(Change.class.isSealed()).isTrue();
        assertThat(Key.class.getPermittedSubclasses()).hasSize(16).allMatch(Class::isRecord);
        assertThat(Query.class.getPermittedSubclasses()).hasSize(14).allMatch(Class::isRecord);
        assertThat(Count.class.getPermittedSubclasses()).hasSize(2).allMatch(Class::isRecord);
        assertThat(Change.class.getPermittedSubclasses()).hasSize(23).allMatch(Class::isRecord);
    }

    @Test
    void malformedValuesAreRefusedWhereTheyAreMade() {
        Instant t = Instant.EPOCH;
        assertThatThrownBy(() -> Query.licensesAfter(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.ledger(t, t, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Query.LapsedLeases(-1, t, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.retiredName("cad", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.product(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Change.deleteLease(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Count.liveLeases(1, null)).isInstanceOf(NullPointerException.class);
        assertThat(Query.leasesLapsedBy(t, 5)).isEqualTo(new Query.LapsedLeases(0, t, 5));
        assertThat(Key.lease(3, "hw")).isEqualTo(new Key.LeaseOf(3, "hw"));
        assertThatThrownBy(() -> new PoolLoad(1, "cad", "d", List.of("a", "b", "a"), t, PoolLoad.Live.COUNT, false, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PoolLoad(1, "cad", "d", List.of("a", "b", "c"), t, PoolLoad.Live.COUNT, false, 0, false).seatKeys())
                .containsExactly("a", "b", "c");
    }
}
