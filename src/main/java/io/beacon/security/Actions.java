package io.beacon.security;

/** Scopes in words, for problem details. */
final class Actions {

    private Actions() {
    }

    /** {@code register instances of 'orders'}, {@code read the registry}, ... */
    static String describe(Scope scope, String service) {
        return switch (scope) {
            case READ -> "read the registry";
            case REGISTER -> service == null ? "register instances" : "register instances of '" + service + "'";
            case OPERATE -> service == null ? "operate services" : "operate service '" + service + "'";
            case ADMIN -> "manage tokens or Beacon";
        };
    }
}
