package io.beacon.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says how to provide an admin token when enforced mode has none. */
class MissingAdminTokenFailureAnalyzer extends AbstractFailureAnalyzer<MissingAdminTokenException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingAdminTokenException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Configure an admin token, e.g. with the environment variables\n"
                        + "    BEACON_SECURITY_TOKENS_ADMIN_SECRET=$(openssl rand -base64 32)\n"
                        + "    BEACON_SECURITY_TOKENS_ADMIN_SCOPES=admin\n"
                        + "or in application.yaml:\n"
                        + "    beacon.security.tokens.admin.secret: ${ADMIN_TOKEN}\n"
                        + "    beacon.security.tokens.admin.scopes: [admin]\n"
                        + "(secret-sha256: <64 hex characters> keeps the secret out of the configuration), "
                        + "or map an administrator's client certificate (mTLS, server.ssl.client-auth=want or need):\n"
                        + "    beacon.security.certificates.ops.subject: CN=ops,O=Example\n"
                        + "    beacon.security.certificates.ops.scopes: [admin]\n"
                        + "For local use without tokens set beacon.security.mode=open.", cause);
    }
}
