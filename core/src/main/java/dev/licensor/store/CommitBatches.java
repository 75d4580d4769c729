package dev.licensor.store;

/**
 * How a store that commits several callers' units together (group commit) has batched them so
 * far: {@code units / commits} is the mean batch size, so the share of durable flushes saved.
 * Counters only grow; read them twice and subtract for a rate.
 *
 * <p>Immutable and thread-safe.
 *
 * @param commits transactions committed (or attempted) by the store's writer
 * @param units   units of work those transactions carried
 * @param largest the most units one transaction carried
 */
public record CommitBatches(long commits, long units, int largest) {

    /**
     * A store that batches write units into shared commits implements this, so metrics can show
     * the batch sizes (the Micrometer binder does). Optional: not part of {@link LicenseStore}.
     *
     * <p>Implementations are thread-safe.
     */
    public interface Source {
        /** The counters so far. */
        CommitBatches commitBatches();
    }
}
