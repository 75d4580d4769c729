package dev.licensor.policy;

/**
 * Seats a pool may grant beyond its {@code floatingSeats}, for soft enforcement: a seat granted
 * past the purchased count is marked over the limit in the outcome and the ledger, and no seat is
 * ever granted past the overdraft. Either a fixed number of extra seats or a factor (1.25x, 1.5x,
 * 2x, as a percent), not both.
 *
 * <p>Immutable and thread-safe.
 *
 * @param extraSeats seats beyond the purchased ones, at least 0
 * @param percent    0 for none, or 125, 150 or 200: the pool holds {@code floor(seats * percent / 100)}
 */
public record Overdraft(int extraSeats, int percent) {
    /** No overdraft. */
    public static final Overdraft NONE = new Overdraft(0, 0);

    /** Checks the values: a typed error is the engine's job, so this throws IllegalArgumentException. */
    public Overdraft {
        if (extraSeats < 0 || extraSeats > 1_000_000) {
            throw new IllegalArgumentException("overdraft seats must be between 0 and 1000000");
        }
        if (percent != 0 && percent != 125 && percent != 150 && percent != 200) {
            throw new IllegalArgumentException("overdraft factor must be 1.25, 1.5 or 2");
        }
        if (extraSeats > 0 && percent > 0) {
            throw new IllegalArgumentException("an overdraft is extra seats or a factor, not both");
        }
    }

    /** A fixed number of extra seats. */
    public static Overdraft seats(int extra) {
        return new Overdraft(extra, 0);
    }

    /**
     * A factor of the purchased seats: exactly 1.25, 1.5 or 2 (anything else, NaN and 0 included,
     * is refused rather than rounded to a neighbour or to no overdraft).
     */
    public static Overdraft factor(double factor) {
        int percent = factor == 1.25 ? 125 : factor == 1.5 ? 150 : factor == 2.0 ? 200 : -1;
        if (percent < 0) {
            throw new IllegalArgumentException("overdraft factor must be 1.25, 1.5 or 2, not " + factor);
        }
        return new Overdraft(0, percent);
    }

    /** The most seats a pool of {@code seats} purchased seats may grant. */
    public int limit(int seats) {
        if (percent > 0) {
            return (int) Math.min(Integer.MAX_VALUE, (long) seats * percent / 100);
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) seats + extraSeats);
    }

    /** The options-file form: {@code 2} or {@code 1.5x}. */
    public String text() {
        if (percent > 0) {
            return switch (percent) {
                case 125 -> "1.25x";
                case 150 -> "1.5x";
                default -> "2x";
            };
        }
        return Integer.toString(extraSeats);
    }
}
