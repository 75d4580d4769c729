package dev.licensor;

import dev.licensor.store.Change;
import java.util.List;

/**
 * What a pure decision of client licenses, seat administration or the catalog returns: the value
 * the operation answers with and the change set its unit applies in one {@code apply(Change...)}
 * (rows, then the ledger entries, in apply order). A refusal is thrown as {@link Denied} instead.
 *
 * <p>Not API. Immutable and thread-safe when {@code result} is.
 *
 * @param <T> the answer's type
 */
record Decision<T>(T result, List<Change> changes) {
    Decision {
        changes = List.copyOf(changes);
    }

    /** The changes as the array {@code apply(Change...)} takes. */
    Change[] toApply() {
        return changes.toArray(Change[]::new);
    }
}
