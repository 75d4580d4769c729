package dev.licensor.report;

import java.time.Duration;

/** The width of a report's time buckets. Immutable and thread-safe. */
public enum Bucket {
    /** One hour. */
    HOUR(Duration.ofHours(1)),
    /** One day (24 hours from the report's start, not calendar days of a time zone). */
    DAY(Duration.ofDays(1));

    private final Duration length;

    Bucket(Duration length) {
        this.length = length;
    }

    /** The bucket's width. */
    public Duration length() {
        return length;
    }
}
