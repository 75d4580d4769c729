package dev.licensor.verify;

import java.util.Locale;

/**
 * The kinds of signed token (claim {@code kind}) a product may accept: what each may grant is
 * in {@code docs/offline.md}.
 *
 * <p>Immutable and thread-safe.
 */
public enum TokenKind {
    /**
     * A seat of a floating pool, from an online check or a borrow: it ends ({@code exp}) with the
     * seat, so it never grants more than the pool holds.
     */
    LEASE,
    /**
     * A license file bound to one device, from an activation of a node-locked license (or an
     * offline activation). The server never issues one for a floating license; a file that says
     * {@code floating_seats} above 0 is refused whatever the accepted kinds.
     */
    LICENSE;

    /** The claim value, e.g. {@code lease}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
