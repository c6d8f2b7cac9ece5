package io.beacon.web;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Sizes the connector's per-connection socket buffers from {@link ConnectorProperties}. */
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
        });
    }
}
