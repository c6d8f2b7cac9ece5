package io.beacon.watch;

import java.nio.charset.StandardCharsets;

/** Server-Sent Events wire format (UTF-8). Data is single-line JSON, so it needs one {@code data:} line. */
final class Frames {

    /** A comment line: ignored by clients, keeps proxies from cutting an idle stream. */
    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    /**
     * An empty line: after a complete frame it dispatches nothing (the SSE rules ignore an empty event),
     * so clients never see it; written only to learn whether the client is still there.
     */
    static final byte[] PROBE = "\n".getBytes(StandardCharsets.UTF_8);

    private Frames() {
    }

    static byte[] event(String name, long id, byte[] json) {
        byte[] head = ("id: " + id + "\nevent: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }
}
