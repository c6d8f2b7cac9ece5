package io.beacon.security;

import io.beacon.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token API ({@code admin} only in enforced mode): create a token (its secret is answered once and
 * never again), list tokens (never secrets or hashes), revoke one. Tokens from configuration are listed but
 * cannot be revoked here (409): remove them from the configuration.
 */
@RestController
@RequestMapping("/acl/tokens")
@Tag(name = "Tokens", description = "Access tokens and their scopes (admin)")
@SecurityRequirement(name = "bearer")
class TokenController {

    private final Tokens tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TokenController(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @param id the new token's id: letters, digits, '.', '_', '-' (at most 64)
     * @param scopes what it may do: read, register:&lt;service-pattern&gt;, operate:&lt;service-pattern&gt;, admin
     */
    record CreateRequest(String id, List<String> scopes) {
    }

    /** A token as listed: never its secret or hash. {@code lastUsed} is as seen by the member answering. */
    record TokenView(String id, List<String> scopes, String origin, Instant created, Instant lastUsed) {
    }

    /** The answer to a create: the only time the secret is shown. */
    record CreatedToken(String id, List<String> scopes, Instant created, String secret) {
    }

    @Operation(summary = "Create a token", description = "Answers the secret once: store it, Beacon keeps only "
            + "its SHA-256.")
    @ApiResponse(responseCode = "201", description = "Created; the body holds the secret")
    @ApiResponse(responseCode = "400", description = "Invalid id or scopes")
    @ApiResponse(responseCode = "409", description = "A token with this id exists")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedToken> create(@RequestBody CreateRequest request) {
        String id = request == null ? null : request.id();
        if (id == null || !ConfiguredTokens.ID.matcher(id).matches()) {
            throw new InvalidRequestException("id", "is required: letters, digits, '.', '_' and '-' (at most 64)");
        }
        List<String> scopes = request.scopes() == null ? List.of() : request.scopes();
        if (scopes.isEmpty()) {
            throw new InvalidRequestException("scopes", "give at least one of read, register:<service-pattern>, "
                    + "operate:<service-pattern>, admin");
        }
        List<String> normalised;
        try {
            normalised = scopes.stream().map(Grant::parse).map(Grant::toString).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("scopes", e.getMessage());
        }
        synchronized (this) {
            if (tokens.exists(id)) {
                throw new TokenConflict("A token with id '" + id + "' exists; revoke it first or choose another id.");
            }
            String secret = TokenHashes.newSecret(random);
            Instant now = clock.instant();
            tokens.store().add(new StoredToken(id, normalised, TokenHashes.sha256(secret), StoredToken.Origin.API,
                    now, null));
            return ResponseEntity.created(URI.create("/acl/tokens/" + id))
                    .body(new CreatedToken(id, normalised, now, secret));
        }
    }

    @Operation(summary = "List tokens", description = "Ids, scopes, creation and last use; never secrets.")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<TokenView> list() {
        return tokens.live().stream().map(t -> new TokenView(t.id(), t.scopes(),
                t.origin() == StoredToken.Origin.API ? "api" : "configuration", t.created(),
                tokens.lastUsed(t.id()).orElse(null))).toList();
    }

    @Operation(summary = "Revoke a token", description = "In effect on every cluster member when this answers. "
            + "Tokens from configuration cannot be revoked here (409): remove them from the configuration.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such token")
    @ApiResponse(responseCode = "409", description = "A token from configuration")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable String id) {
        if (tokens.configured(id).isPresent()) {
            throw new TokenConflict("Token '" + id + "' comes from configuration (beacon.security.tokens." + id
                    + "): remove it there and restart to revoke it.");
        }
        if (!tokens.store().revoke(id, clock.instant())) {
            throw new TokenNotFound("No token with id '" + id + "'.");
        }
        return ResponseEntity.noContent().build();
    }

    static final class TokenConflict extends RuntimeException {
        TokenConflict(String message) {
            super(message, null, false, false);
        }
    }

    static final class TokenNotFound extends RuntimeException {
        TokenNotFound(String message) {
            super(message, null, false, false);
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(TokenConflict.class)
    ResponseEntity<ProblemDetail> conflict(TokenConflict e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(TokenNotFound.class)
    ResponseEntity<ProblemDetail> notFound(TokenNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "Token not found", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
