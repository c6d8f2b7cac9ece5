package io.beacon.registry;

/**
 * The registry cannot apply a write at this moment, through no fault of the request: a cluster member cut
 * off from the majority of its cluster, or a write that kept conflicting with concurrent ones. Nothing was
 * changed; the same request may succeed later or through another member (the HTTP answer is 503 with
 * {@code Retry-After}).
 */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
