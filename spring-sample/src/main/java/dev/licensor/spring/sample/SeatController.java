package dev.licensor.spring.sample;

import dev.licensor.Licensor;
import dev.licensor.catalog.License;
import dev.licensor.floating.DeviceRequest;
import dev.licensor.floating.Lease;
import dev.licensor.floating.LicenseCheck;
import dev.licensor.outcome.Code;
import dev.licensor.outcome.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seats over HTTP: {@code POST /seats/{product}/{key}/{device}} checks one out (or refreshes it),
 * {@code DELETE} releases it, {@code GET /seats/{product}/{key}} lists the holders. A refusal
 * answers a JSON {@code {code, message}} with a status from the code's class (1xx 400, 2xx 404,
 * 3xx 403, 4xx 409, store failure 503).
 */
@RestController
@RequestMapping("/seats")
class SeatController {
    private final Licensor licensor;

    SeatController(Licensor licensor) {
        this.licensor = licensor;
    }

    @PostMapping("/{product}/{key}/{device}")
    ResponseEntity<?> checkOut(@PathVariable String product, @PathVariable String key, @PathVariable String device) {
        DeviceRequest request = DeviceRequest.byKey(product, key, device);
        Outcome<?> activation = licensor.floating().activate(request);
        if (activation instanceof Outcome.Failure<?> failed && failed.code() != Code.ALREADY_EXISTS) {
            return refusal(failed);
        }
        Outcome<LicenseCheck> seat = licensor.floating().check(request);
        if (seat instanceof Outcome.Failure<LicenseCheck> denied) {
            return refusal(denied);
        }
        Lease lease = seat.orElseThrow().lease();
        return ResponseEntity.ok(new Seat(lease.licenseId(), lease.hardwareId(), lease.expiresAt()));
    }

    @DeleteMapping("/{product}/{key}/{device}")
    ResponseEntity<?> release(@PathVariable String product, @PathVariable String key, @PathVariable String device) {
        Outcome<Void> released = licensor.floating().release(DeviceRequest.byKey(product, key, device));
        return released instanceof Outcome.Failure<Void> failed ? refusal(failed) : ResponseEntity.noContent().build();
    }

    @GetMapping("/{product}/{key}")
    ResponseEntity<?> holders(@PathVariable String product, @PathVariable String key) {
        Outcome<License> license = licensor.lookups().licenseByKey(product, key);
        if (license instanceof Outcome.Failure<License> failed) {
            return refusal(failed);
        }
        Outcome<List<Lease>> holders = licensor.seats().holders(license.orElseThrow().id());
        if (holders instanceof Outcome.Failure<List<Lease>> failed) {
            return refusal(failed);
        }
        return ResponseEntity.ok(holders.orElseThrow().stream()
                .map(l -> new Seat(l.licenseId(), l.hardwareId(), l.expiresAt())).toList());
    }

    private static ResponseEntity<Map<String, String>> refusal(Outcome.Failure<?> failure) {
        int n = failure.code().number();
        HttpStatus status = n >= 500 ? HttpStatus.SERVICE_UNAVAILABLE : n >= 400 ? HttpStatus.CONFLICT
                : n >= 300 ? HttpStatus.FORBIDDEN : n >= 200 ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return ResponseEntity.status(status).body(Map.of("code", failure.code().key(), "message", failure.message()));
    }

    /** A seat held: until when, unless refreshed. */
    record Seat(long licenseId, String device, Instant expiresAt) {
    }
}
