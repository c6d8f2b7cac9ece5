package io.beacon.eureka;

/**
 * Constants for the OpenAPI annotations of the Eureka controllers: the tag, descriptions and example
 * bodies (annotation values must be compile-time constants). Problem examples repeat the messages the
 * controllers really send.
 */
final class EurekaDocs {

    static final String TAG = "Eureka compatibility";

    static final String TAG_DESCRIPTION = "The Eureka v2 REST protocol under `/eureka`, for Netflix and Spring "
            + "Cloud Eureka clients. Reads answer JSON when `Accept` mentions json, XML otherwise, gzip-compressed "
            + "when `Accept-Encoding` allows gzip.";

    static final String READ_FORMATS = " JSON (`Content-Type: application/json`) when `Accept` mentions json, "
            + "otherwise XML (`application/xml`); gzip-compressed (`Content-Encoding: gzip`) when "
            + "`Accept-Encoding` includes gzip. No response cache: a change is in the next read.";

    static final String REGISTER_DESCRIPTION = "Registers (or replaces) an instance from a Eureka "
            + "`{\"instance\":{...}}` JSON body. `hostName`, `ipAddr`, `app` (equal to the path's) and "
            + "`dataCenterInfo.name` are required; Beacon's own registration rules apply too. XML bodies are not supported.";

    static final String RENEW_DESCRIPTION = "A Beacon heartbeat: renews the same lease as "
            + "`PUT /heartbeat/{name}/{id}`. Answers 404 when the instance is unknown, or when the client's "
            + "`lastDirtyTimestamp` is newer than Beacon's copy, so that the client registers again.";

    static final String ACCEPT_ENCODING = "`gzip` for a compressed body";

    static final String APP = "Eureka application name: the Beacon service name, any case";

    static final String INSTANCE_ID = "Eureka instance id (Beacon's instance id)";

    /** A registration as the Spring Cloud Netflix client sends it. */
    static final String REGISTRATION_EXAMPLE = """
            {"instance":{"instanceId":"10.0.0.5:orders:8080","hostName":"10.0.0.5","app":"ORDERS",\
            "ipAddr":"10.0.0.5","status":"UP","overriddenStatus":"UNKNOWN","port":{"$":8080,"@enabled":"true"},\
            "securePort":{"$":443,"@enabled":"false"},"countryId":1,"dataCenterInfo":{"@class":\
            "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},"leaseInfo":\
            {"renewalIntervalInSecs":30,"durationInSecs":90},"metadata":{"zone":"eu-west-1a","version":"1.4.2"},\
            "homePageUrl":"http://10.0.0.5:8080/","statusPageUrl":"http://10.0.0.5:8080/actuator/info",\
            "healthCheckUrl":"http://10.0.0.5:8080/actuator/health","vipAddress":"orders",\
            "secureVipAddress":"orders","lastDirtyTimestamp":"1767225600000"}}""";

    static final String REGISTRATION_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'app': must match the application in the path: expected ORDERS but was PAYMENTS",\
            "instance":"/eureka/apps/ORDERS","errors":[{"field":"app",\
            "message":"must match the application in the path: expected ORDERS but was PAYMENTS"}]}""";

    static final String REGISTRATION_MISSING_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'instance': a JSON body {\\"instance\\":{...}} is required",\
            "instance":"/eureka/apps/ORDERS","errors":[{"field":"instance",\
            "message":"a JSON body {\\"instance\\":{...}} is required"}]}""";

    static final String UNSUPPORTED_MEDIA_TYPE_EXAMPLE = """
            {"type":"about:blank","title":"Unsupported Media Type","status":415,\
            "detail":"Content-Type 'application/xml' is not supported; send the body as application/json.",\
            "instance":"/eureka/apps/ORDERS"}""";

    private static final String NOT_FOUND = """
            {"type":"about:blank","title":"Instance not found","status":404,\
            "detail":"No such instance is registered; register it with POST /eureka/apps/{APP}.",\
            "instance":"/eureka/apps/ORDERS/10.0.0.5:orders:8080""";

    static final String TOO_LARGE_EXAMPLE = """
            {"type":"about:blank","title":"Content too large","status":413,\
            "detail":"The request body exceeds the limit of 65536 bytes.","instance":"/eureka/apps/ORDERS"}""";

    static final String INSTANCE_NOT_FOUND_EXAMPLE = NOT_FOUND + "\"}";

    static final String STATUS_NOT_FOUND_EXAMPLE = NOT_FOUND + "/status\"}";

    static final String METADATA_NOT_FOUND_EXAMPLE = NOT_FOUND + "/metadata\"}";

    static final String OUT_OF_DATE_EXAMPLE = """
            {"type":"about:blank","title":"Instance out of date","status":404,\
            "detail":"The client's copy of orders/10.0.0.5:orders:8080 is newer than Beacon's; register it again.",\
            "instance":"/eureka/apps/ORDERS/10.0.0.5:orders:8080"}""";

    static final String STATUS_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'value': must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, not 'BUSY'",\
            "instance":"/eureka/apps/ORDERS/10.0.0.5:orders:8080/status","errors":[{"field":"value",\
            "message":"must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, not 'BUSY'"}]}""";

    static final String METADATA_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'metadata': would have 65 entries; at most 64 are allowed",\
            "instance":"/eureka/apps/ORDERS/10.0.0.5:orders:8080/metadata","errors":[{"field":"metadata",\
            "message":"would have 65 entries; at most 64 are allowed"}]}""";

    static final String APP_NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Application not found","status":404,\
            "detail":"No instance of application PAYMENTS is registered.","instance":"/eureka/apps/PAYMENTS"}""";

    static final String READ_INSTANCE_NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Instance not found","status":404,\
            "detail":"No such instance is registered.","instance":"/eureka/instances/10.0.0.9:orders:8080"}""";

    private static final String INSTANCE_HEAD = """
            {"instanceId":"10.0.0.5:orders:8080","hostName":"10.0.0.5","app":"ORDERS","ipAddr":"10.0.0.5",\
            """;

    private static final String INSTANCE_TAIL = """
            "port":{"$":8080,"@enabled":"true"},\
            "securePort":{"$":443,"@enabled":"false"},"countryId":1,"dataCenterInfo":{"@class":\
            "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},"leaseInfo":\
            {"renewalIntervalInSecs":30,"durationInSecs":90,"registrationTimestamp":1767225600000,\
            "lastRenewalTimestamp":1767225630000,"evictionTimestamp":0,"serviceUpTimestamp":1767225600000},\
            "metadata":{"version":"1.4.2","zone":"eu-west-1a"},"homePageUrl":"http://10.0.0.5:8080/",\
            "statusPageUrl":"http://10.0.0.5:8080/actuator/info",\
            "healthCheckUrl":"http://10.0.0.5:8080/actuator/health","vipAddress":"orders",\
            "secureVipAddress":"orders","isCoordinatingDiscoveryServer":"false",\
            "lastUpdatedTimestamp":"1767225600000","lastDirtyTimestamp":"1767225600000\"""";

    /** An instance without its closing brace, so that a delta can add {@code actionType}. */
    private static final String INSTANCE_JSON = INSTANCE_HEAD + "\"status\":\"UP\",\"overriddenStatus\":\"UNKNOWN\","
            + INSTANCE_TAIL;

    /** Response of a full fetch (and of VIP queries). */
    static final String APPLICATIONS_JSON = "{\"applications\":{\"versions__delta\":\"7\",\"apps__hashcode\":"
            + "\"UP_1_\",\"application\":[{\"name\":\"ORDERS\",\"instance\":[" + INSTANCE_JSON + "}]}]}}";

    /** Response of a delta fetch: changed instances with their {@code actionType}. */
    static final String DELTA_JSON = "{\"applications\":{\"versions__delta\":\"8\",\"apps__hashcode\":"
            + "\"OUT_OF_SERVICE_1_\",\"application\":[{\"name\":\"ORDERS\",\"instance\":["
            + INSTANCE_HEAD + "\"status\":\"OUT_OF_SERVICE\",\"overriddenStatus\":\"OUT_OF_SERVICE\","
            + INSTANCE_TAIL
            + ",\"actionType\":\"MODIFIED\"}]}]}}";

    static final String APPLICATION_JSON = "{\"application\":{\"name\":\"ORDERS\",\"instance\":["
            + INSTANCE_JSON + "}]}}";

    static final String INSTANCE_DOCUMENT_JSON = "{\"instance\":" + INSTANCE_JSON + "}}";

    static final String APPLICATIONS_XML = """
            <applications><versions__delta>7</versions__delta><apps__hashcode>UP_1_</apps__hashcode>\
            <application><name>ORDERS</name><instance><instanceId>10.0.0.5:orders:8080</instanceId>\
            <hostName>10.0.0.5</hostName><app>ORDERS</app><ipAddr>10.0.0.5</ipAddr><status>UP</status>\
            <overriddenstatus>UNKNOWN</overriddenstatus><port enabled="true">8080</port>\
            <securePort enabled="false">443</securePort><countryId>1</countryId>\
            <dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name>\
            </dataCenterInfo><leaseInfo><renewalIntervalInSecs>30</renewalIntervalInSecs>\
            <durationInSecs>90</durationInSecs><registrationTimestamp>1767225600000</registrationTimestamp>\
            <lastRenewalTimestamp>1767225630000</lastRenewalTimestamp><evictionTimestamp>0</evictionTimestamp>\
            <serviceUpTimestamp>1767225600000</serviceUpTimestamp></leaseInfo><metadata><version>1.4.2</version>\
            <zone>eu-west-1a</zone></metadata><homePageUrl>http://10.0.0.5:8080/</homePageUrl>\
            <statusPageUrl>http://10.0.0.5:8080/actuator/info</statusPageUrl>\
            <healthCheckUrl>http://10.0.0.5:8080/actuator/health</healthCheckUrl><vipAddress>orders</vipAddress>\
            <secureVipAddress>orders</secureVipAddress><isCoordinatingDiscoveryServer>false\
            </isCoordinatingDiscoveryServer><lastUpdatedTimestamp>1767225600000</lastUpdatedTimestamp>\
            <lastDirtyTimestamp>1767225600000</lastDirtyTimestamp></instance></application></applications>""";

    private EurekaDocs() {
    }
}
