package io.beacon.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.infinispan.remoting.transport.jgroups.AbstractJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;

/**
 * Builds the JGroups stack from {@link ClusterProperties}: Infinispan's TCP stack with discovery replaced
 * by TCPPING (static list) or DNS_PING (Kubernetes headless Service), never multicast, and both the TCP
 * transport and the FD_SOCK2 failure-detection socket bound to the configured address only.
 *
 * <p>With a cluster secret ({@code beacon.cluster.security.secret}) the stack also holds SYM_ENCRYPT
 * (AES-256-CBC under a key derived from the secret, directly below NAKACK2: every registry message above
 * it is encrypted, and a message that does not decrypt under the key is dropped) and AUTH (directly below
 * GMS: a join or merge request must carry a {@link SharedSecretToken}). The keys are objects handed to the
 * protocols as they are created ({@link #configurator}), never written to a file or into the XML.
 */
final class JGroupsStack {

    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9._:-]+\\[\\d{1,5}]");

    private static final String ENCRYPT = "<SYM_ENCRYPT sym_algorithm=\"AES/CBC/PKCS5Padding\" sym_iv_length=\"16\" "
            + "sym_keylength=\"256\"/>\n                   ";
    private static final String AUTHENTICATE = "<AUTH/>\n                   ";

    private JGroupsStack() {
    }

    static {
        // JGroups reads it when it first resolves addresses; set before any channel exists.
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true");
        }
    }

    /** The stack's XML, for logging and tests (it never contains the secret or a key). */
    static String xml(ClusterProperties p) {
        boolean secured = p.security().enabled();
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
                   <MERGE3 min_interval="%8$dms" max_interval="%9$dms"/>
                   <FD_SOCK2 bind_addr="%1$s" offset="%4$d" port_range="0"/>
                   <FD_ALL3 timeout="10s" interval="2s"/>
                   <VERIFY_SUSPECT2 timeout="1s"/>
                   %6$s<pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200ms" xmit_table_num_rows="50"
                                   xmit_table_msgs_per_row="1024" xmit_table_max_compaction_time="30s"
                                   resend_last_seqno="true"/>
                   <UNICAST3 conn_close_timeout="5s" xmit_interval="200ms" xmit_table_num_rows="50"
                             xmit_table_msgs_per_row="1024" xmit_table_max_compaction_time="30s"/>
                   <pbcast.STABLE desired_avg_gossip="5s" max_bytes="1M"/>
                   %7$s<pbcast.GMS print_local_addr="false" join_timeout="%5$d"/>
                   <UFC max_credits="4m" min_threshold="0.40"/>
                   <MFC max_credits="4m" min_threshold="0.40"/>
                   <FRAG4 frag_size="60k"/>
                </config>
                """.formatted(attr(p.bindAddress()), p.port(), discovery, p.fdPortOffset(), p.joinTimeout().toMillis(),
                secured ? ENCRYPT : "", secured ? AUTHENTICATE : "", p.mergeInterval().toMillis() / 3,
                p.mergeInterval().toMillis());
    }

    /**
     * The channel configurator Infinispan builds its channel with: the stack of {@link #xml} and, when a
     * secret is configured, the keys derived from it set on SYM_ENCRYPT and AUTH before they are initialised.
     */
    static JGroupsChannelConfigurator configurator(ClusterProperties p) {
        ClusterKeys keys = p.security().enabled() ? ClusterKeys.derive(p.security().secret(), p.clusterName()) : null;
        return new Configurator(xml(p), keys);
    }

    private static String attr(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /** Infinispan's channel configurator over one XML stack, with the secured protocols' keys injected. */
    private static final class Configurator extends AbstractJGroupsChannelConfigurator {

        private final String xml;
        private final ClusterKeys keys;

        Configurator(String xml, ClusterKeys keys) {
            this.xml = xml;
            this.keys = keys;
        }

        @Override
        public String getName() {
            return "beacon";
        }

        @Override
        public String getProtocolStackString() {
            return xml;
        }

        @Override
        public List<ProtocolConfiguration> getProtocolStack() {
            try {
                return XmlConfigurator.getInstance(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                        .getProtocolStack();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public JChannel createChannel(String name) throws Exception {
            return amendChannel(new JChannel(this));
        }

        @Override
        public void afterCreation(Protocol protocol) {
            if (keys == null) {
                return;
            }
            if (protocol instanceof SYM_ENCRYPT encrypt) {
                encrypt.setSecretKey(keys.encryption());
            } else if (protocol instanceof AUTH auth) {
                SharedSecretToken token = new SharedSecretToken(keys.authentication());
                token.setAuth(auth);
                auth.setAuthToken(token);
            }
        }
    }
}
