package io.beacon.web;

/**
 * Constants the controllers' OpenAPI annotations share: the problem media type and example bodies.
 * Annotation values must be compile-time constants, hence strings.
 */
public final class ApiDocs {

    /** Media type of every error response. */
    public static final String PROBLEM = "application/problem+json";

    /** Example of a 400 naming the invalid fields. */
    public static final String INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'port': must be between 1 and 65535","instance":"/register",\
            "errors":[{"field":"port","message":"must be between 1 and 65535"}]}""";

    /** Example of a 400 for a malformed service name. */
    public static final String INVALID_NAME_EXAMPLE = """
            {"type":"about:blank","title":"Invalid service name","status":400,\
            "detail":"Service name 'orders!' is invalid: use 1 to 253 characters of letters, digits, '.', '_' or '-'.",\
            "errors":[{"field":"name","message":"Service name 'orders!' is invalid: use 1 to 253 characters of \
            letters, digits, '.', '_' or '-'."}]}""";

    /** Example of a 400 for a body that is not the expected JSON. */
    public static final String MALFORMED_EXAMPLE = """
            {"type":"about:blank","title":"Malformed request body","status":400,\
            "detail":"Field 'port' must be an integer, not a string.",\
            "errors":[{"field":"port","message":"must be an integer, not a string"}]}""";

    /** Example of a 404 for an instance the registry does not hold. */
    public static final String INSTANCE_NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Instance not found","status":404,\
            "detail":"Instance '10.0.0.5:8080' of service 'orders' is not registered. Register it again with POST /register.",\
            "instance":"/heartbeat/orders/10.0.0.5:8080"}""";

    /** Example of a 404 for a service without instances. */
    public static final String SERVICE_NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Service not found","status":404,\
            "detail":"Service 'orders' has no registered instances.","instance":"/services/orders"}""";

    /** Example of a 413 for a body over {@code beacon.limits.max-body-bytes}. */
    public static final String TOO_LARGE_EXAMPLE = """
            {"type":"about:blank","title":"Content too large","status":413,\
            "detail":"The request body exceeds the limit of 65536 bytes.","instance":"/register"}""";

    /** A registration body. */
    public static final String REGISTRATION_EXAMPLE = """
            {"name":"orders","address":"10.0.0.5","port":8080,"zone":"eu-west-1a","version":"1.4.2",\
            "tags":["http","blue"],"metadata":{"team":"payments"},"weight":100,"leaseSeconds":30,\
            "check":{"http":"http://10.0.0.5:8080/health","interval":"10s","timeout":"2s"}}""";

    /** A policy body. */
    public static final String POLICY_EXAMPLE = """
            {"strategy":"weighted","split":[{"version":"1.4.2","weight":90},{"version":"1.5.0","weight":10}],\
            "outlier":{"consecutiveFailures":5,"baseEjectionSeconds":30,"maxEjectionPercent":50}}""";

    private ApiDocs() {
    }
}
