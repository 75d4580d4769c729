package dev.licensor.catalog;

import org.jspecify.annotations.Nullable;
import java.time.Instant;

/**
 * A purchased client/agent license that clients and their agents consume, identified by
 * ({@code platformType}, {@code licenseType}, {@code appType}).
 *
 * <p>Capacity is {@code permanent} plus {@code evaluation} while the evaluation has not expired
 * ({@code evaluationExpiry} null means it never does). {@code used} counts current consumptions;
 * the engine maintains it in the same transaction as the consumptions, so reading capacity never
 * scans consumptions.
 *
 * <p>A null {@code licenseName} is accepted here and answered by
 * {@link Catalog#defineClientLicense} with {@code missing_parameters} (see the package's null
 * rule). Immutable and thread-safe.
 *
 * @param id               store-assigned id, positive; 0 in a draft
 * @param platformType     {@link #PLATFORM_CLIENT} or {@link #PLATFORM_MEDIA_AGENT}
 * @param licenseType      positive license kind id (1 file system, 11 MediaAgent, 84 disk library, ...)
 * @param appType          application type the license is for; 0 for a client-level-only license
 * @param licenseName      display name, e.g. "Server File System - Windows File System"
 * @param permanent        permanently purchased count
 * @param evaluation       evaluation count
 * @param evaluationExpiry when the evaluation count stops counting, or null for never
 * @param used             current consumptions
 */
public record ClientLicense(long id, int platformType, int licenseType, int appType, String licenseName,
                            int permanent, int evaluation, @Nullable Instant evaluationExpiry, int used) {

    /** Platform type of client and agent licenses. */
    public static final int PLATFORM_CLIENT = 1;
    /** Platform type of MediaAgent (storage-side) licenses. */
    public static final int PLATFORM_MEDIA_AGENT = 2;

    /** A draft for the catalog. */
    public static ClientLicense draft(int platformType, int licenseType, int appType, String licenseName,
                                      int permanent, int evaluation, Instant evaluationExpiry) {
        return new ClientLicense(0, platformType, licenseType, appType, licenseName,
                permanent, evaluation, evaluationExpiry, 0);
    }

    /** Purchased licenses that count at {@code now}. */
    public int capacityAt(Instant now) {
        boolean evaluationCounts = evaluationExpiry == null || now.isBefore(evaluationExpiry);
        // in long: a row written before the engine bounded the sum must not wrap to a negative capacity
        return (int) Math.min(Integer.MAX_VALUE, (long) permanent + (evaluationCounts ? evaluation : 0));
    }

    /** This license with another id. */
    public ClientLicense withId(long newId) {
        return new ClientLicense(newId, platformType, licenseType, appType, licenseName,
                permanent, evaluation, evaluationExpiry, used);
    }

    /** This license with another used count. */
    public ClientLicense withUsed(int newUsed) {
        return new ClientLicense(id, platformType, licenseType, appType, licenseName,
                permanent, evaluation, evaluationExpiry, newUsed);
    }
}
