package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.Page;
import dev.licensor.catalog.PoolSummary;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductPage;
import dev.licensor.floating.Lease;
import dev.licensor.floating.PoolSeats;
import dev.licensor.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The read-only Actuator endpoint {@code licensor}: {@code GET /actuator/licensor} lists the
 * catalog's products (by code) and its floating pools (by license id, every one, whichever host
 * used it or none) with their holders, at most {@code maxPools} of each, read page by page through
 * the catalog's keyset listings ({@link dev.licensor.catalog.Catalog#products},
 * {@link dev.licensor.catalog.Catalog#pools}); {@code GET /actuator/licensor/{licenseId}} shows
 * any pool (404 when the license does not exist or has no pool). It has no write operation.
 * Exposed and secured like every Actuator endpoint
 * ({@code management.endpoints.web.exposure.include=licensor}, and the application's security).
 *
 * <p>Thread-safe: every read goes to the engine.
 */
@Endpoint(id = "licensor")
public class LicensorEndpoint {
    private final Licensor licensor;
    private final int maxPools;

    /** The endpoint of {@code licensor}, listing at most {@code maxPools} pools and as many products. */
    public LicensorEndpoint(Licensor licensor, int maxPools) {
        this.licensor = Objects.requireNonNull(licensor, "licensor");
        if (maxPools < 0) {
            throw new IllegalArgumentException("licensor.endpoint.max-pools must not be negative: " + maxPools);
        }
        this.maxPools = maxPools;
    }

    /** The products and pools, each pool with its seats and holders. */
    @ReadOperation
    public Pools pools() {
        List<ProductInfo> products = new ArrayList<>();
        String afterCode = null;
        boolean more = false;
        while (products.size() < maxPools) {
            ProductPage page = licensor.catalog().products(afterCode, pageSize(products.size())).orElseThrow();
            page.items().forEach(p -> products.add(ProductInfo.of(p)));
            more = page.hasMore();
            if (!more) {
                break;
            }
            afterCode = page.next();
        }
        List<Pool> pools = new ArrayList<>();
        long after = 0;
        boolean morePools = false;
        while (pools.size() < maxPools) {
            Page<PoolSummary> page = licensor.catalog().pools(null, after, pageSize(pools.size())).orElseThrow();
            for (PoolSummary summary : page.items()) {
                Pool pool = pool(summary.license().id()); // null if deleted since the page was read
                if (pool != null) {
                    pools.add(pool);
                }
            }
            morePools = page.hasMore();
            if (!morePools) {
                break;
            }
            after = page.next();
        }
        return new Pools(products, pools, more || morePools);
    }

    private int pageSize(int listed) {
        return Math.max(1, Math.min(LicenseQuery.MAX_LIMIT, maxPools - listed));
    }

    /** One pool with its seats and holders, or null (404) when there is none. */
    @ReadOperation
    public Pool pool(@Selector long licenseId) {
        Outcome<PoolSeats> pool = licensor.seats().pool(licenseId);
        if (!(pool instanceof Outcome.Success<PoolSeats> found)) {
            return null;
        }
        PoolSeats seats = found.value();
        String product = licensor.catalog().license(licenseId).map(License::product).orElse(null);
        return new Pool(seats.licenseId(), product, seats.seats(), seats.capacity(), seats.holders().size(),
                seats.borrowed(), seats.holders().stream().map(SeatHolder::of).toList());
    }

    /**
     * What the endpoint lists.
     *
     * @param products  the products, by code (code point order)
     * @param pools     the floating pools, by license id
     * @param truncated true if {@code licensor.endpoint.max-pools} cut either list short
     */
    public record Pools(List<ProductInfo> products, List<Pool> pools, boolean truncated) {
    }

    /**
     * A product and the defaults its licenses inherit.
     *
     * @param code            its code
     * @param name            its display name
     * @param floatingTimeout the default floating timeout
     * @param maxBorrowTime   the default longest borrow
     */
    public record ProductInfo(String code, String name, Duration floatingTimeout, Duration maxBorrowTime) {
        static ProductInfo of(Product p) {
            return new ProductInfo(p.code(), p.name(), p.floatingTimeout(), p.maxBorrowTime());
        }
    }

    /**
     * A floating pool.
     *
     * @param licenseId the license whose pool it is
     * @param product   the license's product code (null if the license was deleted meanwhile)
     * @param seats     the purchased seats
     * @param capacity  the seats that may be held now (purchased plus any overdraft)
     * @param inUse     the live leases
     * @param borrowed  of which borrowed
     * @param holders   the live leases, by grant time
     */
    public record Pool(long licenseId, String product, int seats, int capacity, int inUse, int borrowed, List<SeatHolder> holders) {
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
