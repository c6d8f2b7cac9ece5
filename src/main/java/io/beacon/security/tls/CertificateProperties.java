package io.beacon.security.tls;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Client certificates mapped to scopes, under {@code beacon.security.certificates.<name>.*}. Used in
 * enforced mode when TLS asks for client certificates ({@code server.ssl.client-auth=want} or
 * {@code need}, with a trust store in the server's SSL bundle): a request whose verified certificate
 * matches an entry gets that entry's scopes, exactly as a token would.
 *
 * @param certificates the mapped certificates, by a name of the operator's choosing
 */
@ConfigurationProperties("beacon.security")
@Validated
public record CertificateProperties(Map<String, @Valid Certificate> certificates) {

    public CertificateProperties {
        certificates = certificates == null ? Map.of() : Map.copyOf(certificates);
    }

    /**
     * One mapped certificate subject.
     *
     * @param subject the certificate's subject: a full distinguished name ({@code CN=orders,O=Example},
     *     compared as a name, so spacing and attribute case do not matter) or, without any {@code =}, the
     *     common name alone ({@code orders})
     * @param scopes what a client with this certificate may do, in the syntax of token scopes: {@code read},
     *     {@code register:<service-pattern>}, {@code operate:<service-pattern>}, {@code admin}
     */
    public record Certificate(@NotBlank String subject, List<String> scopes) {

        public Certificate {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }
}
