package dev.licensor.examples.server.internal;

import dev.licensor.outcome.Code;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One table per vendor mapping the engine's {@link Code} to an HTTP status and the vendor's wire
 * code. Every code is in both tables (a test checks it), so adding a code to the engine without
 * deciding its wire form fails the build.
 *
 * <ul>
 *   <li>Commvault: a business refusal is HTTP 200 with a non-zero {@code errorCode} (the vendor's
 *       way); only {@code store_failure} is a 500. Requests the server cannot read never reach
 *       the engine and get their {@link WireError} status and 6xx number instead, so one
 *       {@code errorCode} never comes with two statuses.</li>
 *   <li>LicenseSpring: every refusal is HTTP 400 with the snake_case key (the vendor's list);
 *       {@code store_failure} is a 500.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class CodeTables {
    /**
     * A status and a wire code. Immutable and thread-safe.
     *
     * @param status HTTP status
     * @param number numeric wire code (Commvault {@code errorCode})
     * @param key    string wire code (LicenseSpring {@code code})
     */
    public record Wire(int status, int number, String key) {
    }

    private static final Map<Code, Wire> COMMVAULT = table(true);
    private static final Map<Code, Wire> LICENSE_SPRING = table(false);

    private CodeTables() {
    }

    private static Map<Code, Wire> table(boolean commvault) {
        Map<Code, Wire> t = new EnumMap<>(Code.class);
        for (Code c : Code.values()) {
            int status;
            if (c == Code.STORE_FAILURE) {
                status = 500;
            } else if (c == Code.OK) {
                status = 200;
            } else {
                status = commvault ? 200 : 400;
            }
            t.put(c, new Wire(status, c.number(), c.key()));
        }
        return Collections.unmodifiableMap(t);
    }

    /** The Commvault wire form of a code. */
    public static Wire commvault(Code code) {
        return COMMVAULT.get(code);
    }

    /** The LicenseSpring wire form of a code. */
    public static Wire licenseSpring(Code code) {
        return LICENSE_SPRING.get(code);
    }
}
