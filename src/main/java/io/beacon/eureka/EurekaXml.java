package io.beacon.eureka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Eureka's XML encoding (its XStream converters): {@code <port enabled="true">8080</port>},
 * {@code <dataCenterInfo class="...">}, {@code <metadata class="java.util.Collections$EmptyMap"/>}
 * when empty, and {@code <overriddenstatus>} in lower case. Read by XML clients such as Prometheus's
 * {@code eureka_sd_configs}.
 */
final class EurekaXml {

    private EurekaXml() {
    }

    static byte[] applications(EurekaApps.Applications apps) {
        StringBuilder sb = new StringBuilder(256 + apps.apps().size() * 1024);
        sb.append("<applications>");
        element(sb, "versions__delta", Long.toString(apps.version()));
        element(sb, "apps__hashcode", apps.appsHashCode());
        apps.apps().forEach(app -> application(sb, app));
        sb.append("</applications>");
        return bytes(sb);
    }

    static byte[] application(EurekaInstance.App app) {
        StringBuilder sb = new StringBuilder();
        application(sb, app);
        return bytes(sb);
    }

    static byte[] instance(EurekaInstance.Entry entry) {
        StringBuilder sb = new StringBuilder();
        instance(sb, entry.instance(), entry.actionType());
        return bytes(sb);
    }

    private static void application(StringBuilder sb, EurekaInstance.App app) {
        sb.append("<application>");
        element(sb, "name", app.name());
        app.instances().forEach(e -> instance(sb, e.instance(), e.actionType()));
        sb.append("</application>");
    }

    private static void instance(StringBuilder sb, EurekaInstance i, EurekaInstance.ActionType action) {
        sb.append("<instance>");
        element(sb, "instanceId", i.instanceId());
        element(sb, "hostName", i.hostName());
        element(sb, "app", i.app());
        element(sb, "ipAddr", i.ipAddr());
        element(sb, "status", i.status());
        element(sb, "overriddenstatus", i.overriddenStatus());
        sb.append("<port enabled=\"").append(i.portEnabled()).append("\">").append(i.port()).append("</port>");
        sb.append("<securePort enabled=\"").append(i.securePortEnabled()).append("\">").append(i.securePort())
                .append("</securePort>");
        element(sb, "countryId", Integer.toString(i.countryId()));
        sb.append("<dataCenterInfo class=\"").append(escape(i.dataCenterClass())).append("\">");
        element(sb, "name", i.dataCenterName());
        if (!i.dataCenterMetadata().isEmpty()) {
            sb.append("<metadata>");
            new TreeMap<>(i.dataCenterMetadata()).forEach((k, v) -> element(sb, k, v));
            sb.append("</metadata>");
        }
        sb.append("</dataCenterInfo>");
        EurekaInstance.Lease l = i.lease();
        sb.append("<leaseInfo>");
        element(sb, "renewalIntervalInSecs", Integer.toString(l.renewalIntervalInSecs()));
        element(sb, "durationInSecs", Integer.toString(l.durationInSecs()));
        element(sb, "registrationTimestamp", Long.toString(l.registrationTimestamp()));
        element(sb, "lastRenewalTimestamp", Long.toString(l.lastRenewalTimestamp()));
        element(sb, "evictionTimestamp", Long.toString(l.evictionTimestamp()));
        element(sb, "serviceUpTimestamp", Long.toString(l.serviceUpTimestamp()));
        sb.append("</leaseInfo>");
        metadata(sb, i.metadata());
        element(sb, "appGroupName", i.appGroupName());
        element(sb, "homePageUrl", i.homePageUrl());
        element(sb, "statusPageUrl", i.statusPageUrl());
        element(sb, "healthCheckUrl", i.healthCheckUrl());
        element(sb, "secureHealthCheckUrl", i.secureHealthCheckUrl());
        element(sb, "vipAddress", i.vipAddress());
        element(sb, "secureVipAddress", i.secureVipAddress());
        element(sb, "isCoordinatingDiscoveryServer", "false");
        element(sb, "lastUpdatedTimestamp", Long.toString(i.lastUpdatedTimestamp()));
        element(sb, "lastDirtyTimestamp", Long.toString(i.lastDirtyTimestamp()));
        if (action != null) {
            element(sb, "actionType", action.name());
        }
        element(sb, "asgName", i.asgName());
        sb.append("</instance>");
    }

    /** Metadata keys become element names; a key that is not a valid XML name is left out. */
    private static void metadata(StringBuilder sb, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            sb.append("<metadata class=\"java.util.Collections$EmptyMap\"/>");
            return;
        }
        sb.append("<metadata>");
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (isXmlName(k)) {
                element(sb, k, v);
            }
        });
        sb.append("</metadata>");
    }

    static boolean isXmlName(String name) {
        if (name.isEmpty() || name.regionMatches(true, 0, "xml", 0, 3)) {
            return false;
        }
        char first = name.charAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void element(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        sb.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "" : null;
            };
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
