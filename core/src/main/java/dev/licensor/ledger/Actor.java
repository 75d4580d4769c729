package dev.licensor.ledger;

import dev.licensor.outcome.Code;
import dev.licensor.outcome.LicensingException;

/**
 * Who makes an administrative change: an administrator, an admin token, a support tool. The host
 * names it ({@code licensor.as(Actor.of("admin:alice")).catalog().createLicense(...)}) and the
 * ledger stores the name with every change made through that view ({@link LedgerEntry#actor()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name non-blank, at most {@value #MAX_LENGTH} characters, no control characters
 */
public record Actor(String name) {
    /** Longest name. */
    public static final int MAX_LENGTH = 200;

    /**
     * Validates the name.
     *
     * @throws LicensingException {@code invalid_request} for a null, blank, oversize or control-character name
     */
    public Actor {
        if (name == null || name.isBlank()) {
            throw new LicensingException(Code.INVALID_REQUEST, "an actor needs a name");
        }
        if (name.length() > MAX_LENGTH) {
            throw new LicensingException(Code.INVALID_REQUEST, "an actor's name is at most " + MAX_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new LicensingException(Code.INVALID_REQUEST, "an actor's name has no control characters");
        }
    }

    /** The actor with this name; see {@link #Actor(String)}. */
    public static Actor of(String name) {
        return new Actor(name);
    }
}
