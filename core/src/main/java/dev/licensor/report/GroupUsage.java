package dev.licensor.report;

import dev.licensor.policy.GroupKind;
import java.time.Duration;
import java.util.List;

/**
 * How one user or host group that the pool's policy names ({@code GROUP} or {@code HOST_GROUP})
 * used the pool: per bucket, the seats its members held. A seat belongs to the groups of the
 * user and host its latest {@code GRANTED} or {@code REFRESHED} entry names; a refusal to the
 * groups of the caller its {@code DENIED} entry names. Immutable and thread-safe.
 *
 * @param kind    a user group ({@code GROUP}) or a host group ({@code HOST_GROUP})
 * @param name    the group's name
 * @param buckets one per bucket of the report, in the same order
 */
public record GroupUsage(GroupKind kind, String name, List<GroupBucketUsage> buckets) {
    public GroupUsage {
        buckets = List.copyOf(buckets);
    }

    /** Most seats the group held at once over the whole range. */
    public int peak() {
        return buckets.stream().mapToInt(GroupBucketUsage::peak).max().orElse(0);
    }

    /** The group's seat time over the whole range. */
    public Duration seatTime() {
        return buckets.stream().map(GroupBucketUsage::seatTime).reduce(Duration.ZERO, Duration::plus);
    }

    /** Refusals of the group's members over the whole range. */
    public long denials() {
        return buckets.stream().mapToLong(GroupBucketUsage::denials).sum();
    }
}
