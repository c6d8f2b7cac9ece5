package io.beacon.web;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Jetty's connector as Beacon wants it: per-connection buffers sized from {@link ConnectorProperties}, and
 * {@link ProblemErrorHandler} for the requests Jetty answers itself.
 */
@Component
class ConnectorBuffers implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

    private final ConnectorProperties properties;

    ConnectorBuffers(ConnectorProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(ConfigurableJettyWebServerFactory factory) {
        factory.addServerCustomizers(server -> {
            server.setErrorHandler(new ProblemErrorHandler());
            for (Connector connector : server.getConnectors()) {
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                if (http != null) {
                    http.setInputBufferSize(properties.socketReadBuffer());
                    http.getHttpConfiguration().setOutputBufferSize(properties.socketWriteBuffer());
                }
            }
        });
    }
}
