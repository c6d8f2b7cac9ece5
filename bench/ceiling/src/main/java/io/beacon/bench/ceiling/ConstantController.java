package io.beacon.bench.ceiling;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two constant JSON answers, built once at start-up and written as bytes on every request:
 * {@code /large}, shaped and sized like a Beacon {@code /discover} answer of 10 instances (about 4 KB),
 * {@code /small}, shaped and sized like a heartbeat answer, and {@code /tiny}, 19 bytes. All accept any method and any path below them and read (then
 * ignore) a request body, so the same endpoint stands in for GET, PUT and POST measurements.
 */
@RestController
class ConstantController {

    private static final String TIME = "2026-01-01T00:00:00Z";

    private final byte[] large = discoverBody(10).getBytes(StandardCharsets.UTF_8);
    private final byte[] small = heartbeatBody().getBytes(StandardCharsets.UTF_8);
    private static final byte[] TINY = "{\"ok\":true,\"n\":100}".getBytes(StandardCharsets.UTF_8);

    @RequestMapping(path = {"/large", "/large/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> large(@RequestBody(required = false) byte[] ignored) {
        return ResponseEntity.ok().header("X-Beacon-Index", "1000").body(large);
    }

    /** A 19-byte constant JSON answer without extra headers: the ceiling of the independent harness's mode. */
    @RequestMapping(path = {"/tiny", "/tiny/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> tiny(@RequestBody(required = false) byte[] ignored) {
        return ResponseEntity.ok().body(TINY);
    }

    @RequestMapping(path = {"/small", "/small/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> small(@RequestBody(required = false) byte[] ignored) {
        return ResponseEntity.ok().header("X-Beacon-Index", "1000").body(small);
    }

    /** A body with the fields and value sizes of Beacon's discovery answer for {@code count} instances. */
    static String discoverBody(int count) {
        StringBuilder out = new StringBuilder("{\"name\":\"svc-001\",\"services\":[");
        for (int i = 1; i <= count; i++) {
            if (i > 1) {
                out.append(',');
            }
            out.append("{\"id\":\"10.1.0.").append(i).append(":8080\",\"name\":\"svc-001\",\"address\":\"10.1.0.")
                    .append(i).append("\",\"port\":8080,\"status\":\"UP\",\"statusReason\":\"lease current\",")
                    .append("\"statusSince\":\"").append(TIME).append("\",\"ejected\":false,")
                    .append("\"metadata\":{\"env\":\"bench\",\"team\":\"team-01\"},\"tags\":[\"bench\",\"http\"],")
                    .append("\"zone\":\"zone-a\",\"version\":\"1.0.0\",\"weight\":100,")
                    .append("\"registeredAt\":\"").append(TIME).append("\",\"lastHeartbeat\":\"").append(TIME)
                    .append("\",\"expiresAt\":\"").append(TIME).append("\",\"evictAt\":\"").append(TIME)
                    .append("\",\"leaseSeconds\":30,\"inflight\":0,\"health\":true,\"last_seen\":1767225600.0}");
        }
        return out.append("],\"count\":").append(count).append(",\"index\":1000}").toString();
    }

    /** A body with the fields and value sizes of Beacon's heartbeat answer. */
    static String heartbeatBody() {
        return "{\"name\":\"svc-001\",\"id\":\"10.1.0.1:8080\",\"status\":\"UP\",\"lastHeartbeat\":\"" + TIME
                + "\",\"expiresAt\":\"" + TIME + "\",\"evictAt\":\"" + TIME + "\"}";
    }
}
