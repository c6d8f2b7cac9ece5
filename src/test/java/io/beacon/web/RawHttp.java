package io.beacon.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A minimal HTTP/1.1 client over a socket, one request per connection, that sends exactly the bytes it is
 * given: request targets with malformed percent escapes, any header value, chunked or fixed-length bodies.
 * {@code java.net.http} refuses most of these, and many of the answers worth testing come from Tomcat
 * before a request reaches Spring MVC. Server-Sent-Event answers are returned after their headers.
 */
final class RawHttp {

    /** An answer: the status, the headers (names in lower case) and the decoded body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static Response send(int port, String method, String target, List<String[]> headers, byte[] body,
            boolean chunked) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (String[] h : headers) {
                request.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            if (body != null) {
                request.writeBytes((chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length
                        + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                if (chunked) {
                    int half = body.length / 2;
                    chunk(request, body, 0, half);
                    chunk(request, body, half, body.length - half);
                    request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    request.writeBytes(body);
                }
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading all of a rejected body; read its answer
            }
            return read(socket.getInputStream());
        }
    }

    private static void chunk(ByteArrayOutputStream out, byte[] body, int from, int length) {
        if (length > 0) {
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, from, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the headers: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String type = headers.getOrDefault("content-type", "");
        if (status == 200 && type.startsWith("text/event-stream")) {
            return new Response(status, headers, new byte[0]);
        }
        byte[] raw = in.readAllBytes();
        byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(raw) : raw;
        if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
            body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int lineEnd = indexOf(raw, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(raw, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(raw, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
