package io.beacon.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a raw socket, read byte by byte: what the server wrote, exactly. */
public final class RawHttp {

    private RawHttp() {
    }

    /** A response head as sent: the status, the header names in order and the headers by lower-case name. */
    public record Head(int status, List<String> names, Map<String, String> headers) {
    }

    /** A response: its head and the body ({@code Content-Length} bytes). */
    public record Raw(int status, Map<String, String> headers, String body, List<String> names) {
    }

    /** Sends {@code GET path} with {@code Host} and the given header lines ({@code "Name: value"}). */
    public static void get(OutputStream out, int port, String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads a response head, up to the blank line. */
    public static Head head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed before the headers ended").isNotNegative();
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        List<String> names = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            names.add(lines[i].substring(0, colon).trim());
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(lines[0].split(" ")[1]), names, headers);
    }

    /** Reads one response: its head, then exactly {@code Content-Length} bytes. */
    public static Raw read(InputStream in) throws IOException {
        Head head = head(in);
        assertThat(head.headers()).containsKey("content-length");
        byte[] body = in.readNBytes(Integer.parseInt(head.headers().get("content-length")));
        return new Raw(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8), head.names());
    }
}
