package io.beacon.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Works around Spring Boot's health endpoint failing on a nested path under an unknown component
 * ({@code /actuator/health/a/b}): its contributor lookup asserts instead of answering "not found", which
 * would be a 500. Recognised by the failure's origin, so that no other error is mistaken for it.
 */
final class HealthPaths {

    private static final String LOOKUP = "org.springframework.boot.health.actuate.endpoint.HealthEndpointSupport";

    private HealthPaths() {
    }

    static boolean isUnknownNestedPath(Throwable e, HttpServletRequest request) {
        if (!(e instanceof IllegalStateException) || !request.getRequestURI().contains("/health/")) {
            return false;
        }
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(trace.length, 4); i++) {
            if (trace[i].getClassName().equals(LOOKUP) && trace[i].getMethodName().equals("getContributor")) {
                return true;
            }
        }
        return false;
    }
}
