package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.floating.Lease;
import dev.licensor.floating.PoolSeats;
import dev.licensor.outcome.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The read-only Actuator endpoint {@code licensor}: {@code GET /actuator/licensor} lists the floating
 * pools this application has seen seat events of ({@link SeenPools}) with their holders, and
 * {@code GET /actuator/licensor/{licenseId}} shows any pool (404 when the license does not exist or
 * has no pool). It has no write operation. Exposed and secured like every Actuator endpoint
 * ({@code management.endpoints.web.exposure.include=licensor}, and the application's security).
 *
 * <p>Thread-safe: every read goes to the engine.
 */
@Endpoint(id = "licensor")
public class LicensorEndpoint {
    private final Licensor licensor;
    private final SeenPools seen;

    /** The endpoint of {@code licensor}, listing the pools {@code seen} recorded. */
    public LicensorEndpoint(Licensor licensor, SeenPools seen) {
        this.licensor = Objects.requireNonNull(licensor, "licensor");
        this.seen = Objects.requireNonNull(seen, "seen");
    }

    /** The pools seen, each with its seats and holders. */
    @ReadOperation
    public Pools pools() {
        return new Pools(seen.ids().stream().map(this::pool).filter(Objects::nonNull).toList());
    }

    /** One pool with its seats and holders, or null (404) when there is none. */
    @ReadOperation
    public Pool pool(@Selector long licenseId) {
        Outcome<PoolSeats> pool = licensor.seats().pool(licenseId);
        if (!(pool instanceof Outcome.Success<PoolSeats> found)) {
            return null;
        }
        PoolSeats seats = found.value();
        return new Pool(seats.licenseId(), seats.seats(), seats.capacity(), seats.holders().size(), seats.borrowed(),
                seats.holders().stream().map(SeatHolder::of).toList());
    }

    /**
     * The pools the endpoint lists.
     *
     * @param pools each pool, by license id
     */
    public record Pools(List<Pool> pools) {
    }

    /**
     * A floating pool.
     *
     * @param licenseId the license whose pool it is
     * @param seats     the purchased seats
     * @param capacity  the seats that may be held now (purchased plus any overdraft)
     * @param inUse     the live leases
     * @param borrowed  of which borrowed
     * @param holders   the live leases, by grant time
     */
    public record Pool(long licenseId, int seats, int capacity, int inUse, int borrowed, List<SeatHolder> holders) {
    }

    /**
     * Who holds one seat until when.
     *
     * @param hardwareId    the lease's identity
     * @param device        the device
     * @param user          the user holding it, or null
     * @param host          the host, or null
     * @param grantedAt     when the seat was taken
     * @param expiresAt     when it lapses unless refreshed
     * @param borrowedUntil when a borrow ends, or null
     */
    public record SeatHolder(String hardwareId, String device, String user, String host, Instant grantedAt,
                             Instant expiresAt, Instant borrowedUntil) {
        static SeatHolder of(Lease lease) {
            return new SeatHolder(lease.hardwareId(), lease.device(), lease.holder().user(), lease.holder().host(),
                    lease.grantedAt(), lease.expiresAt(), lease.borrowedUntil());
        }
    }
}
