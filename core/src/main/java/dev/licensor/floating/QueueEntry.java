package dev.licensor.floating;

import java.time.Instant;
import java.util.Objects;

/**
 * A caller waiting for a seat of a floating pool whose options allow a queue ({@code QUEUE n}).
 * A row in the store, so the queue holds across processes and hosts. It lives like a lease:
 * each check by the waiting caller refreshes it, and one not refreshed in time lapses by itself.
 * A freed seat goes to the first live entry.
 *
 * <p>Immutable and thread-safe.
 *
 * @param licenseId  the pool
 * @param hardwareId the seat key the caller asks for (see {@link Lease#hardwareId()})
 * @param ticket     the entry's place: entries are served in ticket order
 * @param enqueuedAt when the caller joined the queue
 * @param expiresAt  when the entry lapses unless refreshed
 * @param device     the caller's hardware id
 * @param holder     who waits, beyond the device
 */
public record QueueEntry(long licenseId, String hardwareId, long ticket, Instant enqueuedAt, Instant expiresAt,
                         String device, Holder holder) {
    public QueueEntry {
        Objects.requireNonNull(hardwareId, "hardwareId");
        device = device == null ? hardwareId : device;
        holder = holder == null ? Holder.NONE : holder;
    }

    /** True while the entry waits at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
