package io.beacon.security.tls;

import io.beacon.security.BeaconPrincipal;
import io.beacon.security.Grant;
import io.beacon.security.RequestAuthenticator;
import io.beacon.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.preauth.x509.SubjectX500PrincipalExtractor;

/**
 * Tells who makes a request from its client certificate, verified by the TLS handshake against the trust
 * store of the server's SSL bundle (the servlet container puts the verified chain in the
 * {@code jakarta.servlet.request.X509Certificate} attribute; nothing here trusts a header). The leaf
 * certificate's subject is looked up in {@link CertificateProperties}: a match is a {@link BeaconPrincipal}
 * of kind {@code CERTIFICATE}, its id the subject as an RFC 2253 name (what problems and audit lines show),
 * its grants the entry's scopes, so every access check is the token's.
 *
 * <p>A verified certificate that matches no entry: with an {@code Authorization} header the token decides;
 * without one the request is the certificate's, with no scopes, so every protected endpoint answers 403
 * naming the subject and the missing scope rather than a bare 401.
 */
final class CertificateAuthenticator implements RequestAuthenticator {

    static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final List<Mapping> mappings;
    private final boolean asked;
    private final SubjectX500PrincipalExtractor commonName = new SubjectX500PrincipalExtractor();

    /**
     * @param asked whether the server asks clients for certificates ({@code server.ssl.client-auth} is
     *     {@code want} or {@code need}); without that no mapping can ever match
     * @throws IllegalArgumentException naming the property, when a subject or scope is not valid
     */
    CertificateAuthenticator(CertificateProperties properties, boolean asked) {
        this.asked = asked;
        List<Mapping> all = new ArrayList<>();
        for (Map.Entry<String, CertificateProperties.Certificate> e : properties.certificates().entrySet()) {
            String property = "beacon.security.certificates." + e.getKey();
            CertificateProperties.Certificate c = e.getValue();
            List<String> scopes = new ArrayList<>();
            for (String scope : c.scopes()) {
                try {
                    scopes.add(Grant.parse(scope).toString());
                } catch (IllegalArgumentException invalid) {
                    throw new IllegalArgumentException(property + ".scopes: " + invalid.getMessage());
                }
            }
            String subject = c.subject().trim();
            X500Principal dn = null;
            if (subject.contains("=")) {
                try {
                    dn = new X500Principal(subject);
                } catch (IllegalArgumentException invalid) {
                    throw new IllegalArgumentException(property + ".subject: '" + subject
                            + "' is not a distinguished name; write CN=name,O=organisation or the common name alone");
                }
            }
            all.add(new Mapping(dn, dn == null ? subject : null, scopes));
        }
        this.mappings = List.copyOf(all);
    }

    /** Whether a mapped certificate holds {@code scope}, when the server asks for certificates at all. */
    @Override
    public boolean mayGrant(Scope scope) {
        return asked && mappings.stream().anyMatch(m -> m.principal().allowsSome(scope));
    }

    @Override
    public Optional<BeaconPrincipal> authenticate(HttpServletRequest request) {
        if (!(request.getAttribute(CERTIFICATES_ATTRIBUTE) instanceof X509Certificate[] chain) || chain.length == 0) {
            return Optional.empty();
        }
        X509Certificate leaf = chain[0];
        X500Principal subject = leaf.getSubjectX500Principal();
        String id = subject.getName(X500Principal.RFC2253);
        String cn = commonName(leaf);
        for (Mapping m : mappings) {
            if (m.dn() != null ? m.dn().equals(subject) : m.cn().equals(cn)) {
                return Optional.of(BeaconPrincipal.of(id, BeaconPrincipal.Kind.CERTIFICATE, m.scopes()));
            }
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return Optional.empty();
        }
        return Optional.of(BeaconPrincipal.of(id, BeaconPrincipal.Kind.CERTIFICATE, List.of()));
    }

    private String commonName(X509Certificate certificate) {
        try {
            Object cn = commonName.extractPrincipal(certificate);
            return cn == null ? null : cn.toString();
        } catch (RuntimeException noCommonName) {
            return null;
        }
    }

    /** One configured subject: a distinguished name, or a common name alone. */
    private record Mapping(X500Principal dn, String cn, List<String> scopes) {

        BeaconPrincipal principal() {
            return BeaconPrincipal.of(cn != null ? cn : dn.getName(X500Principal.RFC2253),
                    BeaconPrincipal.Kind.CERTIFICATE, scopes);
        }
    }
}
