package io.beacon.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP connector's per-connection buffers and the direct routes, {@code beacon.server.*}. Every open connection (a held long
 * poll, an idle watch stream) keeps one read and one write buffer; Tomcat's 8 KiB each is sized for large
 * uploads and downloads, while Beacon's requests are small and a write larger than the buffer goes to the
 * socket directly.
 *
 * @param socketReadBuffer bytes of each connection's socket read buffer (Tomcat {@code socket.appReadBufSize})
 * @param socketWriteBuffer bytes of each connection's socket write buffer (Tomcat {@code socket.appWriteBufSize})
 * @param directRoutes whether the plain form of the hottest requests (a heartbeat without a body, a discovery by
 *     name alone) is answered without Spring MVC's dispatch, by the same services and with the same answer;
 *     every other request goes through MVC either way
 */
@ConfigurationProperties("beacon.server")
@Validated
record ConnectorProperties(@Min(512) @Max(1_048_576) @DefaultValue("2048") int socketReadBuffer,
        @Min(512) @Max(1_048_576) @DefaultValue("2048") int socketWriteBuffer,
        @DefaultValue("true") boolean directRoutes) {
}
