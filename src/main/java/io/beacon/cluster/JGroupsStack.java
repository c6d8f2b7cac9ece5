package io.beacon.cluster;

import java.util.regex.Pattern;

/**
 * Builds the JGroups stack from {@link ClusterProperties}: Infinispan's TCP stack with discovery replaced
 * by TCPPING (static list) or DNS_PING (Kubernetes headless Service), never multicast, and both the TCP
 * transport and the FD_SOCK2 failure-detection socket bound to the configured address only.
 */
final class JGroupsStack {

    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9._:-]+\\[\\d{1,5}]");

    private JGroupsStack() {
    }

    static {
        // JGroups reads it when it first resolves addresses; set before any channel exists.
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true");
        }
    }

    /** The stack's XML, for logging and tests. */
    static String xml(ClusterProperties p) {
        String discovery = switch (p.discovery()) {
            case STATIC -> {
                for (String member : p.members()) {
                    if (!MEMBER.matcher(member.trim()).matches()) {
                        throw new IllegalArgumentException("beacon.cluster.members entry '" + member
                                + "' is invalid: use host[port], for example 127.0.0.1[7800]");
                    }
                }
                yield "<TCPPING initial_hosts=\"" + attr(String.join(",", p.members().stream().map(String::trim).toList()))
                        + "\" port_range=\"0\" num_discovery_runs=\"3\"/>";
            }
            case DNS -> "<dns.DNS_PING dns_query=\"" + attr(p.dnsQuery()) + "\" dns_record_type=\"A\" num_discovery_runs=\"3\"/>";
        };
        return """
                <config xmlns="urn:org:jgroups">
                   <TCP bind_addr="%1$s" bind_port="%2$d" port_range="0"
                        diag.enabled="false" thread_naming_pattern="pl" send_buf_size="640k"
                        sock_conn_timeout="300ms" linger="-1" tcp_nodelay="true"
                        bundler_type="no-bundler" non_blocking_sends="false"
                        thread_pool.min_threads="0" thread_pool.max_threads="200" thread_pool.keep_alive_time="1m"
                        use_vthreads="false"/>
                   <RED/>
                   %3$s
                   <MERGE3 min_interval="10s" max_interval="30s"/>
                   <FD_SOCK2 bind_addr="%1$s" offset="%4$d" port_range="0"/>
                   <FD_ALL3 timeout="10s" interval="2s"/>
                   <VERIFY_SUSPECT2 timeout="1s"/>
                   <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200ms" xmit_table_num_rows="50"
                                   xmit_table_msgs_per_row="1024" xmit_table_max_compaction_time="30s"
                                   resend_last_seqno="true"/>
                   <UNICAST3 conn_close_timeout="5s" xmit_interval="200ms" xmit_table_num_rows="50"
                             xmit_table_msgs_per_row="1024" xmit_table_max_compaction_time="30s"/>
                   <pbcast.STABLE desired_avg_gossip="5s" max_bytes="1M"/>
                   <pbcast.GMS print_local_addr="false" join_timeout="%5$d"/>
                   <UFC max_credits="4m" min_threshold="0.40"/>
                   <MFC max_credits="4m" min_threshold="0.40"/>
                   <FRAG4 frag_size="60k"/>
                </config>
                """.formatted(attr(p.bindAddress()), p.port(), discovery, p.fdPortOffset(), p.joinTimeout().toMillis());
    }

    private static String attr(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
