package io.beacon.eureka;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eureka's JSON encoding, byte for byte what its Jackson codec reads: {@code port} objects holding only
 * {@code $} and {@code @enabled} (a string), {@code dataCenterInfo} with its {@code @class}, empty
 * metadata as {@code {"@class":"java.util.Collections$EmptyMap"}}, and the fields from
 * {@code homePageUrl} on, timestamps included, as strings.
 */
final class EurekaJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EurekaJson() {
    }

    static byte[] applications(EurekaApps.Applications apps) {
        ObjectNode root = NODES.objectNode();
        ObjectNode body = root.putObject("applications");
        body.put("versions__delta", Long.toString(apps.version()));
        body.put("apps__hashcode", apps.appsHashCode());
        ArrayNode list = body.putArray("application");
        apps.apps().forEach(app -> list.add(application(app)));
        return JSON.writeValueAsBytes(root);
    }

    static byte[] applicationDocument(EurekaInstance.App app) {
        ObjectNode root = NODES.objectNode();
        root.set("application", application(app));
        return JSON.writeValueAsBytes(root);
    }

    static byte[] instance(EurekaInstance.Entry entry) {
        ObjectNode root = NODES.objectNode();
        root.set("instance", instance(entry.instance(), entry.actionType()));
        return JSON.writeValueAsBytes(root);
    }

    private static ObjectNode application(EurekaInstance.App app) {
        ObjectNode node = NODES.objectNode();
        node.put("name", app.name());
        ArrayNode list = node.putArray("instance");
        app.instances().forEach(e -> list.add(instance(e.instance(), e.actionType())));
        return node;
    }

    static ObjectNode instance(EurekaInstance i, EurekaInstance.ActionType action) {
        ObjectNode n = NODES.objectNode();
        n.put("instanceId", i.instanceId());
        n.put("hostName", i.hostName());
        n.put("app", i.app());
        n.put("ipAddr", i.ipAddr());
        n.put("status", i.status());
        n.put("overriddenStatus", i.overriddenStatus());
        ObjectNode port = n.putObject("port");
        port.put("$", i.port());
        port.put("@enabled", Boolean.toString(i.portEnabled()));
        ObjectNode securePort = n.putObject("securePort");
        securePort.put("$", i.securePort());
        securePort.put("@enabled", Boolean.toString(i.securePortEnabled()));
        n.put("countryId", i.countryId());
        ObjectNode dataCenter = n.putObject("dataCenterInfo");
        dataCenter.put("@class", i.dataCenterClass());
        dataCenter.put("name", i.dataCenterName());
        if (!i.dataCenterMetadata().isEmpty()) {
            ObjectNode m = dataCenter.putObject("metadata");
            i.dataCenterMetadata().forEach(m::put);
        }
        EurekaInstance.Lease l = i.lease();
        ObjectNode lease = n.putObject("leaseInfo");
        lease.put("renewalIntervalInSecs", l.renewalIntervalInSecs());
        lease.put("durationInSecs", l.durationInSecs());
        lease.put("registrationTimestamp", l.registrationTimestamp());
        lease.put("lastRenewalTimestamp", l.lastRenewalTimestamp());
        lease.put("evictionTimestamp", l.evictionTimestamp());
        lease.put("serviceUpTimestamp", l.serviceUpTimestamp());
        ObjectNode metadata = n.putObject("metadata");
        if (i.metadata().isEmpty()) {
            metadata.put("@class", "java.util.Collections$EmptyMap");
        } else {
            new java.util.TreeMap<>(i.metadata()).forEach(metadata::put);
        }
        putIfSet(n, "appGroupName", i.appGroupName());
        putIfSet(n, "homePageUrl", i.homePageUrl());
        putIfSet(n, "statusPageUrl", i.statusPageUrl());
        putIfSet(n, "healthCheckUrl", i.healthCheckUrl());
        putIfSet(n, "secureHealthCheckUrl", i.secureHealthCheckUrl());
        putIfSet(n, "vipAddress", i.vipAddress());
        putIfSet(n, "secureVipAddress", i.secureVipAddress());
        n.put("isCoordinatingDiscoveryServer", "false");
        n.put("lastUpdatedTimestamp", Long.toString(i.lastUpdatedTimestamp()));
        n.put("lastDirtyTimestamp", Long.toString(i.lastDirtyTimestamp()));
        if (action != null) {
            n.put("actionType", action.name());
        }
        putIfSet(n, "asgName", i.asgName());
        return n;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
