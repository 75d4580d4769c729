package dev.licensor.examples.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.licensor.Licensor;
import dev.licensor.examples.server.api.Reply;
import dev.licensor.outcome.Code;
import dev.licensor.replay.BucketOutcome;
import dev.licensor.replay.Divergence;
import dev.licensor.replay.Tally;
import dev.licensor.replay.WhatIf;
import dev.licensor.replay.WhatIfReport;
import dev.licensor.replay.WhatIfRequest;
import dev.licensor.report.Bucket;
import dev.licensor.report.BucketUsage;
import dev.licensor.policy.GroupKind;
import dev.licensor.report.CapacityReports;
import dev.licensor.report.GroupBucketUsage;
import dev.licensor.report.GroupUsage;
import dev.licensor.report.HolderUsage;
import dev.licensor.report.UtilisationReport;
import dev.licensor.report.UtilisationRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The capacity reports of a pool under {@code /admin/pools/{licenseId}/}, behind
 * {@link AdminApi}'s token: {@code utilisation} ({@link CapacityReports}) and {@code what-if}
 * ({@link WhatIf}), as JSON or, with {@code format=csv}, as CSV (one row per bucket). Query:
 * {@code from}, {@code to} (ISO-8601; default the last 7 days), {@code bucket} ({@code hour} or
 * {@code day}), {@code top} (utilisation, default 10), {@code by} (utilisation CSV: {@code pool}, one row
 * per bucket, or {@code group}, one row per group and bucket), {@code seats} (what-if, required). Bad
 * input throws {@link WireException} or the engine's {@code invalid_request}. Thread-safe.
 */
final class ReportsAdminApi {
    private final Licensor licensor;
    private final Clock clock;

    ReportsAdminApi(Licensor licensor, Clock clock) {
        this.licensor = licensor;
        this.clock = clock;
    }

    /** {@code report} is {@code utilisation} or {@code what-if}. */
    Reply handle(long licenseId, String report, Map<String, String> query) {
        boolean csv = csv(query.get("format"));
        if (report.equals("utilisation")) {
            boolean byGroup = byGroup(query.get("by"));
            UtilisationReport r = utilisation(licenseId, query);
            return csv ? Reply.of(200, CSV, byGroup ? groupsCsv(r) : utilisationCsv(r))
                    : Bodies.write(200, utilisationJson(r), false);
        }
        if (query.get("seats") == null) {
            throw WireException.of(Code.INVALID_REQUEST, "seats is required");
        }
        WhatIfReport r = whatIf(licenseId, query, 0);
        return csv ? Reply.of(200, CSV, whatIfCsv(r)) : Bodies.write(200, whatIfJson(r), false);
    }

    /** The utilisation report the query asks for ({@code from}, {@code to}, {@code bucket}, {@code top}). */
    UtilisationReport utilisation(long licenseId, Map<String, String> query) {
        Range range = range(query);
        int top = integer(query, "top", 10);
        return CapacityReports.of(licensor)
                .utilisation(new UtilisationRequest(licenseId, range.from(), range.to(), range.bucket(), top));
    }

    /** The what-if replay the query asks for ({@code from}, {@code to}, {@code bucket}, {@code seats}, else {@code seats}). */
    WhatIfReport whatIf(long licenseId, Map<String, String> query, int seats) {
        Range range = range(query);
        int n = integer(query, "seats", seats);
        return WhatIf.of(licensor).replay(new WhatIfRequest(licenseId, range.from(), range.to(), n, null, range.bucket()));
    }

    /** A report's time range and bucket, from the query (default: the 7 days before now, hourly). */
    record Range(Instant from, Instant to, Bucket bucket) {
    }

    Range range(Map<String, String> query) {
        Instant now = clock.instant();
        Instant to = AdminApi.time(query, "to", now);
        Instant from = AdminApi.time(query, "from", to.minus(Duration.ofDays(7)));
        return new Range(from, to, bucket(query.get("bucket")));
    }

    static final String CSV = "text/csv"; // the adapter adds "; charset=utf-8" to every type

    static ObjectNode utilisationJson(UtilisationReport r) {
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("license_id", r.licenseId());
        body.put("from", r.from().toString());
        body.put("to", r.to().toString());
        body.put("seats", r.seats());
        body.put("peak", r.peak());
        body.put("denials", r.denials());
        body.put("entries_read", r.entriesRead());
        ArrayNode buckets = body.putArray("buckets");
        for (BucketUsage b : r.buckets()) {
            ObjectNode n = buckets.addObject();
            n.put("start", b.start().toString());
            n.put("length_seconds", seconds(b.length()));
            n.put("peak", b.peak());
            n.put("p50", b.p50());
            n.put("p95", b.p95());
            n.put("at_limit_seconds", seconds(b.atLimit()));
            n.put("granted", b.granted());
            n.put("denials", b.denials());
            n.put("queued", b.queued());
            n.put("borrowed", b.borrowed());
        }
        ArrayNode top = body.putArray("top_holders");
        for (HolderUsage h : r.topHolders()) {
            top.addObject().put("seat_key", h.seatKey()).put("seat_hours", h.seatHours());
        }
        ArrayNode groups = body.putArray("groups");
        for (GroupUsage g : r.groups()) {
            ObjectNode n = groups.addObject();
            n.put("kind", kind(g));
            n.put("name", g.name());
            n.put("peak", g.peak());
            n.put("seat_hours", g.seatTime().toNanos() / 3.6e12);
            n.put("denials", g.denials());
            ArrayNode list = n.putArray("buckets");
            for (GroupBucketUsage b : g.buckets()) {
                list.addObject().put("start", b.start().toString()).put("peak", b.peak())
                        .put("seat_seconds", seconds(b.seatTime())).put("granted", b.granted()).put("denials", b.denials());
            }
        }
        return body;
    }

    /** One row per group and bucket, the groups in the policy's order. */
    private static String groupsCsv(UtilisationReport r) {
        StringBuilder out = new StringBuilder("group_kind,group,bucket_start,peak,seat_seconds,granted,denials\n");
        for (GroupUsage g : r.groups()) {
            for (GroupBucketUsage b : g.buckets()) {
                out.append(kind(g)).append(',').append(csvField(g.name())).append(',').append(b.start()).append(',')
                        .append(b.peak()).append(',').append(seconds(b.seatTime())).append(',').append(b.granted())
                        .append(',').append(b.denials()).append('\n');
            }
        }
        return out.toString();
    }

    private static String kind(GroupUsage g) {
        return g.kind() == GroupKind.HOST ? "host" : "user";
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
    private static String csvField(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private static boolean byGroup(String by) {
        if (by == null || by.isBlank() || by.trim().equalsIgnoreCase("pool")) {
            return false;
        }
        if (by.trim().equalsIgnoreCase("group")) {
            return true;
        }
        throw WireException.of(Code.INVALID_REQUEST, "by must be pool or group");
    }

    private static String utilisationCsv(UtilisationReport r) {
        StringBuilder out = new StringBuilder(
                "bucket_start,length_seconds,peak,p50,p95,at_limit_seconds,granted,denials,queued,borrowed\n");
        for (BucketUsage b : r.buckets()) {
            out.append(b.start()).append(',').append(seconds(b.length())).append(',').append(b.peak()).append(',')
                    .append(b.p50()).append(',').append(b.p95()).append(',').append(seconds(b.atLimit())).append(',')
                    .append(b.granted()).append(',').append(b.denials()).append(',').append(b.queued()).append(',')
                    .append(b.borrowed()).append('\n');
        }
        return out.toString();
    }

    static ObjectNode whatIfJson(WhatIfReport r) {
        ObjectNode body = Bodies.json().createObjectNode();
        body.put("license_id", r.licenseId());
        body.put("from", r.from().toString());
        body.put("to", r.to().toString());
        body.put("seats", r.seats());
        body.put("demands", r.demands());
        tally(body.putObject("recorded"), r.recorded());
        tally(body.putObject("replayed"), r.replayed());
        body.put("divergent", r.divergent());
        ArrayNode buckets = body.putArray("buckets");
        for (BucketOutcome b : r.buckets()) {
            buckets.addObject().put("start", b.start().toString())
                    .put("recorded_denials", b.recordedDenials()).put("replayed_denials", b.replayedDenials())
                    .put("recorded_queued", b.recordedQueued()).put("replayed_queued", b.replayedQueued());
        }
        ArrayNode first = body.putArray("first_divergences");
        for (Divergence d : r.firstDivergences()) {
            first.addObject().put("at", d.at().toString()).put("seat_key", d.seatKey())
                    .put("recorded", d.recorded().name()).put("replayed", d.replayed() == null ? null : d.replayed().name());
        }
        return body;
    }

    private static void tally(ObjectNode n, Tally t) {
        n.put("granted", t.granted()).put("refreshed", t.refreshed()).put("borrowed", t.borrowed())
                .put("released", t.released()).put("denied", t.denied()).put("queued", t.queued()).put("none", t.none());
    }

    private static String whatIfCsv(WhatIfReport r) {
        StringBuilder out = new StringBuilder("bucket_start,recorded_denials,replayed_denials,recorded_queued,replayed_queued\n");
        for (BucketOutcome b : r.buckets()) {
            out.append(b.start()).append(',').append(b.recordedDenials()).append(',').append(b.replayedDenials())
                    .append(',').append(b.recordedQueued()).append(',').append(b.replayedQueued()).append('\n');
        }
        return out.toString();
    }

    /** A duration in seconds, exact to the nanosecond (a plain number in JSON and CSV). */
    private static java.math.BigDecimal seconds(Duration d) {
        java.math.BigDecimal s = java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s; // 10800, not 1.08E+4
    }

    private static boolean csv(String format) {
        if (format == null || format.isBlank() || format.trim().equalsIgnoreCase("json")) {
            return false;
        }
        if (format.trim().equalsIgnoreCase("csv")) {
            return true;
        }
        throw WireException.of(Code.INVALID_REQUEST, "format must be json or csv");
    }

    private static Bucket bucket(String value) {
        if (value == null || value.isBlank()) {
            return Bucket.HOUR;
        }
        try {
            return Bucket.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw WireException.of(Code.INVALID_REQUEST, "bucket must be hour or day");
        }
    }

    static int integer(Map<String, String> query, String name, int absent) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw WireException.of(Code.INVALID_REQUEST, name + " must be an integer");
        }
    }
}
