package io.beacon.web;

import org.apache.catalina.Lifecycle;
import org.apache.coyote.ProtocolHandler;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Sizes the connector's per-connection socket buffers and each request's servlet buffers
 * ({@link LeanRequestAdapter}) from {@link ConnectorProperties}.
 */
@Component
class ConnectorBuffers implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    private final ConnectorProperties properties;

    ConnectorBuffers(ConnectorProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(properties.socketReadBuffer()));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(properties.socketWriteBuffer()));
            connector.addLifecycleListener(event -> {
                if (Lifecycle.AFTER_INIT_EVENT.equals(event.getType())) {
                    ProtocolHandler handler = connector.getProtocolHandler();
                    handler.setAdapter(new LeanRequestAdapter(handler.getAdapter(), connector,
                            properties.responseBuffer(), properties.readerBuffer()));
                }
            });
        });
    }
}
