package io.beacon.eureka;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Content negotiation as the Eureka server does it: JSON when the {@code Accept} header mentions json,
 * otherwise XML; {@code Content-Type} exactly {@code application/json} or {@code application/xml}
 * (the Netflix client picks its decoder by it); gzip when the client accepts it.
 */
final class EurekaResponses {

    /** The encoding a request asked for. */
    record Format(boolean json, boolean gzip) {

        static Format of(String accept, String acceptEncoding) {
            return new Format(accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("json"),
                    acceptEncoding != null && acceptEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip"));
        }

        String key() {
            return (json ? "json" : "xml") + (gzip ? "+gzip" : "");
        }
    }

    private EurekaResponses() {
    }

    /** An answer encoded as {@code format} asks. */
    private static final String VARY = "Accept, Accept-Encoding";

    static <T> ResponseEntity<byte[]> ok(Format format, T value, Function<T, byte[]> json, Function<T, byte[]> xml) {
        byte[] body = format.json() ? json.apply(value) : xml.apply(value);
        return ok(format, format.gzip() ? gzip(body) : body);
    }

    /** An already encoded (and, when the format asks, compressed) body. */
    static ResponseEntity<byte[]> ok(Format format, byte[] body) {
        ResponseEntity.BodyBuilder b = ResponseEntity.ok().contentType(contentType(format))
                .header(HttpHeaders.VARY, VARY);
        if (format.gzip()) {
            b.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return b.body(body);
    }

    /** Writes what {@link #ok(Format, byte[])} answers, outside MVC. */
    static void write(HttpServletResponse response, Format format, byte[] body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType(format).toString());
        response.setHeader(HttpHeaders.VARY, VARY);
        if (format.gzip()) {
            response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static MediaType contentType(Format format) {
        return format.json() ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_XML;
    }

    static <T> Function<T, byte[]> gzipped(Format format, Function<T, byte[]> encoder) {
        return format.gzip() ? encoder.andThen(EurekaResponses::gzip) : encoder;
    }

    static ResponseEntity<Object> notFound(String title, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(path));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
