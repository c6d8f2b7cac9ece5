package io.beacon.web;

import io.beacon.registry.ServiceName;

/** A request about a service that has no registered instances; answered 404. */
public class ServiceNotFoundException extends RuntimeException {

    public ServiceNotFoundException(ServiceName name) {
        super("Service '" + name + "' has no registered instances.");
    }
}
