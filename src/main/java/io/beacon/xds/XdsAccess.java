package io.beacon.xds;

import io.beacon.security.Scope;
import io.beacon.security.TokenCheck;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforced mode on the xDS port: every ADS call must carry a token with the {@code read} scope, as gRPC
 * metadata {@code authorization: Bearer <token>}, checked once when the stream opens by the security package's
 * {@link TokenCheck} (the HTTP API's tokens, hashing and lookup; refusals counted in
 * {@code beacon.auth.denied{reason}}). A call without valid credentials is closed with UNAUTHENTICATED, one
 * whose token lacks the scope with PERMISSION_DENIED, both before a request is read; the description says
 * what to send. Installed only in enforced mode.
 */
final class XdsAccess implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String WHERE = "gRPC metadata 'authorization: Bearer <token>'";

    private static final Logger log = LoggerFactory.getLogger(XdsAccess.class);

    private final TokenCheck check;

    XdsAccess(TokenCheck check) {
        this.check = check;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        TokenCheck.Verdict verdict = check.check(headers.get(AUTHORIZATION), Scope.READ, WHERE);
        if (verdict.allowed()) {
            return next.startCall(call, headers);
        }
        Status status = verdict.outcome() == TokenCheck.Outcome.FORBIDDEN ? Status.PERMISSION_DENIED
                : Status.UNAUTHENTICATED;
        log.debug("xDS call {} refused: {}", call.getMethodDescriptor().getFullMethodName(), verdict.detail());
        call.close(status.withDescription(verdict.detail()), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
