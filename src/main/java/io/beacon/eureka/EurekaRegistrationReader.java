package io.beacon.eureka;

import static io.beacon.eureka.EurekaFields.*;
import static io.beacon.eureka.EurekaMapper.*;

import io.beacon.registration.InstanceDraft;
import io.beacon.registration.LeaseProperties;
import io.beacon.registry.InstanceStatus;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.JsonTypes;
import io.beacon.web.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Eureka registration body ({@code {"instance":{...}}}) into an {@link InstanceDraft} for the one
 * registration path. Checks what the Eureka server checks (hostName, ipAddr, app matching the path,
 * dataCenterInfo with a name; instanceId falls back to the data center's unique id, then to hostName, as
 * {@code InstanceInfo.getId()} does) and the JSON types Eureka's codec writes; Beacon's own rules are
 * checked by the registration service. Violations name Eureka's fields.
 *
 * <p>Types are strict, as for every Beacon body: strings are strings, {@code port.$} and
 * {@code leaseInfo.durationInSecs} are JSON integers, metadata values are strings. Eureka's own
 * encodings stay accepted: {@code @enabled} as a string or a boolean, timestamps as strings or integers,
 * a port as {@code {"$":8080,"@enabled":"true"}} or a bare integer, {@code @class} keys in metadata
 * (skipped). A lease outside Beacon's bounds is clamped to them rather than refused, since Eureka clients
 * cannot choose another one.
 */
@Component
class EurekaRegistrationReader {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final LeaseProperties lease;

    EurekaRegistrationReader(LeaseProperties lease) {
        this.lease = lease;
    }

    InstanceDraft read(byte[] body, String pathApp) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException("body", "is not valid JSON: " + JsonTypes.syntax(e));
        }
        JsonNode node = root == null ? null : root.get("instance");
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("instance", "a JSON body {\"instance\":{...}} is required");
        }
        List<Violation> errors = new ArrayList<>();
        String hostName = text(node, "hostName", errors);
        String ipAddr = text(node, "ipAddr", errors);
        String app = text(node, "app", errors);
        JsonNode dataCenter = object(node, "dataCenterInfo", errors);
        if (hostName == null) {
            required(node, "hostName", "hostName", errors);
        }
        if (ipAddr == null) {
            required(node, "ipAddr", "ipAddr", errors);
        }
        if (app == null) {
            required(node, "app", "app", errors);
        } else if (!app.equalsIgnoreCase(pathApp)) {
            errors.add(new Violation("app", "must match the application in the path: expected "
                    + pathApp.toUpperCase(Locale.ROOT) + " but was " + app));
        }
        String dataCenterName = null;
        if (dataCenter == null) {
            if (!node.has("dataCenterInfo") || node.get("dataCenterInfo").isNull()) {
                errors.add(new Violation("dataCenterInfo", "is required"));
            }
        } else {
            dataCenterName = text(dataCenter, "name", "dataCenterInfo.name", errors);
            if (dataCenterName == null) {
                required(dataCenter, "name", "dataCenterInfo.name", errors);
            }
        }
        Map<String, String> dataCenterMetadata = stringMap(dataCenter, "metadata", "dataCenterInfo.metadata", errors);
        Map<String, String> metadata = stringMap(node, "metadata", "metadata", errors);
        Port port = port(node, "port", 7001, true, errors);
        Port securePort = port(node, "securePort", 7002, false, errors);
        JsonNode leaseInfo = object(node, "leaseInfo", errors);
        Integer duration = JsonTypes.integer(leaseInfo, "durationInSecs", "leaseInfo.durationInSecs", errors);
        String renewalInterval = integerText(leaseInfo, "renewalIntervalInSecs", "leaseInfo.renewalIntervalInSecs",
                false, errors);
        String serviceUp = integerText(leaseInfo, "serviceUpTimestamp", "leaseInfo.serviceUpTimestamp", true, errors);
        String countryId = integerText(node, "countryId", "countryId", false, errors);
        String lastDirty = integerText(node, "lastDirtyTimestamp", "lastDirtyTimestamp", true, errors);
        String id = text(node, "instanceId", errors);
        String status = text(node, "status", errors);
        String overridden = text(node, "overriddenStatus", errors);
        String legacyOverridden = text(node, "overriddenstatus", errors);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String field : List.of("homePageUrl", "statusPageUrl", "healthCheckUrl", "secureHealthCheckUrl",
                "vipAddress", "secureVipAddress", "asgName", "appGroupName")) {
            put(attributes, PREFIX + field, text(node, field, errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (id == null) {
            id = dataCenterMetadata.get("instance-id");
        }
        if (id == null) {
            id = hostName;
        }
        boolean secure = !port.enabled() && securePort.enabled();
        attributes.put(HOST_NAME, hostName);
        attributes.put(PORT_ENABLED, Boolean.toString(port.enabled()));
        attributes.put(SECURE_PORT, Integer.toString(securePort.number()));
        attributes.put(SECURE_PORT_ENABLED, Boolean.toString(securePort.enabled()));
        put(attributes, COUNTRY_ID, countryId);
        put(attributes, DATA_CENTER_CLASS, text(dataCenter, "@class", new ArrayList<>()));
        put(attributes, DATA_CENTER_NAME, dataCenterName);
        dataCenterMetadata.forEach((k, v) -> attributes.put(DATA_CENTER_METADATA + k, v));
        put(attributes, RENEWAL_INTERVAL, renewalInterval);
        put(attributes, SERVICE_UP, serviceUp);
        put(attributes, LAST_DIRTY, lastDirty);
        Map<String, String> fieldNames = Map.of("name", "app", "address", "ipAddr",
                "port", secure ? "securePort.$" : "port.$", "id", "instanceId",
                "leaseSeconds", "leaseInfo.durationInSecs");
        return new InstanceDraft(app, ipAddr, secure ? securePort.number() : port.number(), id, metadata, null,
                null, null, null, clampLease(duration == null ? 90 : duration), null, reported(status),
                override(overridden != null ? overridden : legacyOverridden), attributes, fieldNames);
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

    private static void put(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
