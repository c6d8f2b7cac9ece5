package io.beacon.eureka;

import static io.beacon.eureka.EurekaMapper.*;

import io.beacon.web.InvalidRequestException;
import io.beacon.registration.RegistrationRequest;
import io.beacon.registration.RegistrationValidator;
import io.beacon.web.Violation;
import io.beacon.registration.LeaseProperties;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Eureka registration body ({@code {"instance":{...}}}) into a Beacon {@link Instance}. Checks
 * what the Eureka server checks (hostName, ipAddr, app matching the path, dataCenterInfo with a name;
 * instanceId falls back to the data center's unique id, then to hostName, as {@code InstanceInfo.getId()}
 * does), then Beacon's own rules through {@link RegistrationValidator}. Violations name Eureka's fields.
 */
@Component
class EurekaRegistrationReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Map<String, String> FIELD_NAMES = Map.of("name", "app", "address", "ipAddr",
            "port", "port.$", "id", "instanceId", "leaseSeconds", "leaseInfo.durationInSecs");

    private final RegistrationValidator validator;
    private final LeaseProperties lease;

    EurekaRegistrationReader(RegistrationValidator validator, LeaseProperties lease) {
        this.validator = validator;
        this.lease = lease;
    }

    Instance read(byte[] body, String pathApp, Instant now) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode node = root == null ? null : root.get("instance");
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("instance", "a JSON body {\"instance\":{...}} is required");
        }
        List<Violation> errors = new ArrayList<>();
        String hostName = text(node, "hostName");
        String ipAddr = text(node, "ipAddr");
        String app = text(node, "app");
        JsonNode dataCenter = node.get("dataCenterInfo");
        if (hostName == null) {
            errors.add(new Violation("hostName", "is required"));
        }
        if (ipAddr == null) {
            errors.add(new Violation("ipAddr", "is required"));
        }
        if (app == null) {
            errors.add(new Violation("app", "is required"));
        } else if (!app.equalsIgnoreCase(pathApp)) {
            errors.add(new Violation("app", "must match the application in the path: expected "
                    + pathApp.toUpperCase(Locale.ROOT) + " but was " + app));
        }
        if (dataCenter == null || !dataCenter.isObject()) {
            errors.add(new Violation("dataCenterInfo", "is required"));
        } else if (text(dataCenter, "name") == null) {
            errors.add(new Violation("dataCenterInfo.name", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Map<String, String> dataCenterMetadata = stringMap(dataCenter.get("metadata"));
        String id = text(node, "instanceId");
        if (id == null) {
            id = dataCenterMetadata.get("instance-id");
        }
        if (id == null) {
            id = hostName;
        }
        JsonNode port = node.get("port");
        JsonNode securePort = node.get("securePort");
        boolean portEnabled = port == null || enabled(port);
        boolean secureEnabled = securePort != null && enabled(securePort);
        int portNumber = number(port, 7001);
        int securePortNumber = number(securePort, 7002);
        int servicePort = !portEnabled && secureEnabled ? securePortNumber : portNumber;
        Map<String, String> metadata = stringMap(node.get("metadata"));
        JsonNode leaseInfo = node.get("leaseInfo");
        int duration = leaseInfo != null && leaseInfo.hasNonNull("durationInSecs")
                ? leaseInfo.get("durationInSecs").asInt(90) : 90;
        RegistrationRequest request = new RegistrationRequest(app, ipAddr, servicePort, id, metadata, null,
                label(metadata.get("zone")), label(metadata.get("version")), null, clampLease(duration), null);
        Instance base;
        try {
            base = validator.toInstance(request, now);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(e.violations().stream()
                    .map(v -> new Violation(rename(v.field()), v.message())).toList());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(HOST_NAME, hostName);
        attributes.put(PORT_ENABLED, Boolean.toString(portEnabled));
        attributes.put(SECURE_PORT, Integer.toString(securePortNumber));
        attributes.put(SECURE_PORT_ENABLED, Boolean.toString(secureEnabled));
        put(attributes, COUNTRY_ID, text(node, "countryId"));
        put(attributes, DATA_CENTER_CLASS, text(dataCenter, "@class"));
        put(attributes, DATA_CENTER_NAME, text(dataCenter, "name"));
        dataCenterMetadata.forEach((k, v) -> attributes.put(DATA_CENTER_METADATA + k, v));
        if (leaseInfo != null) {
            put(attributes, RENEWAL_INTERVAL, text(leaseInfo, "renewalIntervalInSecs"));
            put(attributes, SERVICE_UP, text(leaseInfo, "serviceUpTimestamp"));
        }
        put(attributes, HOME_PAGE_URL, text(node, "homePageUrl"));
        put(attributes, STATUS_PAGE_URL, text(node, "statusPageUrl"));
        put(attributes, HEALTH_CHECK_URL, text(node, "healthCheckUrl"));
        put(attributes, SECURE_HEALTH_CHECK_URL, text(node, "secureHealthCheckUrl"));
        put(attributes, VIP_ADDRESS, text(node, "vipAddress"));
        put(attributes, SECURE_VIP_ADDRESS, text(node, "secureVipAddress"));
        put(attributes, LAST_DIRTY, text(node, "lastDirtyTimestamp"));
        put(attributes, ASG_NAME, text(node, "asgName"));
        put(attributes, APP_GROUP_NAME, text(node, "appGroupName"));
        var state = base.state().withReported(reported(text(node, "status")), now);
        InstanceStatus override = override(text(node, "overriddenStatus") != null
                ? text(node, "overriddenStatus") : text(node, "overriddenstatus"));
        if (override != null) {
            state = state.withOverride(override, now);
        }
        return base.withAttributes(attributes, now).withState(state);
    }

    /** A reported Eureka status as Beacon's reported status; UNKNOWN and absent count as STARTING and UP. */
    static InstanceStatus reported(String status) {
        if (status == null) {
            return InstanceStatus.UP;
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "UP" -> InstanceStatus.UP;
            case "DOWN" -> InstanceStatus.DOWN;
            case "OUT_OF_SERVICE" -> InstanceStatus.OUT_OF_SERVICE;
            default -> InstanceStatus.STARTING;
        };
    }

    /** An overridden status Beacon keeps as an operator override: OUT_OF_SERVICE or DOWN; others none. */
    static InstanceStatus override(String status) {
        if ("OUT_OF_SERVICE".equalsIgnoreCase(status)) {
            return InstanceStatus.OUT_OF_SERVICE;
        }
        return "DOWN".equalsIgnoreCase(status) ? InstanceStatus.DOWN : null;
    }

    private int clampLease(int seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        if (d.compareTo(lease.minDuration()) < 0) {
            d = lease.minDuration();
        } else if (d.compareTo(lease.maxDuration()) > 0) {
            d = lease.maxDuration();
        }
        return (int) d.toSeconds();
    }

    private static String rename(String field) {
        for (Map.Entry<String, String> e : FIELD_NAMES.entrySet()) {
            if (field.equals(e.getKey())) {
                return e.getValue();
            }
        }
        return field;
    }

    private static String label(String value) {
        return value != null && LABEL.matcher(value).matches() ? value : null;
    }

    private static boolean enabled(JsonNode port) {
        JsonNode e = port.get("@enabled");
        return e == null || e.asBoolean(false) || "true".equalsIgnoreCase(e.asString(""));
    }

    private static int number(JsonNode port, int fallback) {
        if (port == null) {
            return fallback;
        }
        JsonNode n = port.isObject() ? port.get("$") : port;
        return n == null ? fallback : n.asInt(fallback);
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> result = new HashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> {
                if (!e.getKey().equals("@class") && !e.getValue().isNull()) {
                    result.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
                }
            });
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || !value.isValueNode()) {
            return null;
        }
        String s = value.asString();
        return s.isBlank() ? null : s;
    }

    private static void put(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
