package io.beacon.security.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Client certificates as a way to authenticate (mTLS). TLS itself is Spring Boot's: an SSL bundle named by
 * {@code server.ssl.bundle}; client certificates are asked for with {@code server.ssl.client-auth=want} or
 * {@code need} and verified against the bundle's trust store. This adds the mapping from a verified
 * certificate's subject to scopes ({@link CertificateAuthenticator}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CertificateProperties.class)
class TlsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TlsConfiguration.class);

    @Bean
    @Order(0)
    CertificateAuthenticator certificateAuthenticator(CertificateProperties properties, Environment environment) {
        String clientAuth = environment.getProperty("server.ssl.client-auth", "none");
        boolean tls = environment.getProperty("server.ssl.enabled", Boolean.class, true)
                && (environment.containsProperty("server.ssl.bundle")
                        || environment.containsProperty("server.ssl.key-store")
                        || environment.containsProperty("server.ssl.certificate"));
        boolean asked = tls && !"none".equalsIgnoreCase(clientAuth);
        if (!properties.certificates().isEmpty() && !asked) {
            log.warn("beacon.security.certificates maps {} certificate subject(s), but no client certificate is "
                    + "asked for (TLS is off or server.ssl.client-auth is 'none'); set server.ssl.client-auth to "
                    + "'want' or 'need' with a trust store in the server's SSL bundle",
                    properties.certificates().size());
        }
        return new CertificateAuthenticator(properties, asked);
    }
}
