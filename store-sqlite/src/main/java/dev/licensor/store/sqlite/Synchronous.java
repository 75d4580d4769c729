package dev.licensor.store.sqlite;

/**
 * How hard SQLite works to make a commit durable (its {@code PRAGMA synchronous}, in WAL mode).
 *
 * <p>Immutable and thread-safe.
 */
public enum Synchronous {
    /**
     * The default. Every commit is flushed to stable storage ({@code fsync} of the write-ahead log)
     * before {@link SqliteLicenseStore#write} returns: an operation reported as successful survives
     * a crash of the process <em>and</em> of the operating system or a power loss.
     */
    FULL,
    /**
     * Commits are written to the write-ahead log but flushed only at checkpoints. An operation
     * reported as successful survives a crash of the process; after a power loss or an operating
     * system crash the last commits before it may be lost (the file stays consistent). Faster,
     * since most commits do no {@code fsync}.
     */
    NORMAL
}
