package io.beacon.web;

import java.io.IOException;

/** The request body is larger than {@code beacon.limits.max-body-bytes}; answered 413. */
class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("The request body exceeds the limit of " + limit + " bytes.");
    }
}
