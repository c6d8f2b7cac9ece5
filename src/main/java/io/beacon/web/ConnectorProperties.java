package io.beacon.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP connector's per-connection buffers, each request's servlet buffers and the direct routes,
 * {@code beacon.server.*}. Every open connection (a held long poll, an idle watch stream) keeps one socket read
 * buffer and one write buffer, and each request processor keeps its servlet buffers. Beacon's requests are
 * small, so the read buffer and the servlet buffers are smaller than Tomcat's; the write buffer keeps Tomcat's
 * 8 KiB, because Tomcat writes an answer larger than it in buffer-sized pieces, one system call each (a
 * discovery answer of 10 instances is about 6 KB).
 *
 * @param socketReadBuffer bytes of each connection's socket read buffer (Tomcat {@code socket.appReadBufSize})
 * @param socketWriteBuffer bytes of each connection's socket write buffer (Tomcat {@code socket.appWriteBufSize}): the
 *     largest piece an answer is written in
 * @param responseBuffer bytes of each request's response buffer (Tomcat's 8 KiB), with as many characters for the
 *     response's writer; an answer that does not fit is written on, in chunks where no {@code Content-Length}
 *     was set, and a servlet may still ask for more with {@code setBufferSize}
 * @param readerBuffer characters of each request's body reader (Tomcat's 8 Ki); Beacon reads bodies as bytes
 * @param directRoutes whether the plain form of the hottest requests (a heartbeat without a body, a discovery by
 *     name alone) is answered without Spring MVC's dispatch, by the same services and with the same answer;
 *     every other request goes through MVC either way
 * @param leanWatchers whether a held long poll or an open watch stream on an HTTP/1.1 connection is handed from
 *     Tomcat's request processor to a lean holder of its connection ({@link LeanWatchers}), which keeps the socket
 *     and its buffers alone; when false, watchers are held as asynchronous requests
 */
@ConfigurationProperties("beacon.server")
@Validated
record ConnectorProperties(@Min(512) @Max(1_048_576) @DefaultValue("2048") int socketReadBuffer,
        @Min(512) @Max(1_048_576) @DefaultValue("8192") int socketWriteBuffer,
        @Min(256) @Max(1_048_576) @DefaultValue("2048") int responseBuffer,
        @Min(256) @Max(1_048_576) @DefaultValue("512") int readerBuffer,
        @DefaultValue("true") boolean directRoutes,
        @DefaultValue("true") boolean leanWatchers) {
}
