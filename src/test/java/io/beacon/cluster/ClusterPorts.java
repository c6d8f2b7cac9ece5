package io.beacon.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for test members: a JGroups port whose failure-detection port (+ offset) is free too. */
final class ClusterPorts {

    static final int FD_OFFSET = 100;

    private ClusterPorts() {
    }

    static List<Integer> jgroups(int count) {
        List<Integer> ports = new ArrayList<>();
        // below the ephemeral range (32768+ on Linux), where an outgoing connection could take a port between
        // this check and the member's bind
        int base = 20000 + ThreadLocalRandom.current().nextInt(12000);
        for (int p = base; ports.size() < count && p + FD_OFFSET < 32768; p += 3) {
            if (free(p) && free(p + FD_OFFSET)) {
                ports.add(p);
            }
        }
        return ports;
    }

    static int http() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code beacon.cluster.*} arguments of one member. */
    static List<String> args(String name, int httpPort, int jgroupsPort, List<Integer> all) {
        String members = String.join(",", all.stream().map(p -> "127.0.0.1[" + p + "]").toList());
        return List.of("--server.port=" + httpPort, "--server.address=127.0.0.1",
                "--beacon.cluster.enabled=true", "--beacon.cluster.node-name=" + name,
                "--beacon.cluster.bind-address=127.0.0.1", "--beacon.cluster.port=" + jgroupsPort,
                "--beacon.cluster.fd-port-offset=" + FD_OFFSET, "--beacon.cluster.members=" + members,
                "--beacon.cluster.join-timeout=1s", "--beacon.cluster.cluster-name=test-" + all.get(0),
                "--management.endpoint.health.group.readiness.include=readinessState,cluster",
                "--logging.level.org.infinispan=WARN", "--logging.level.org.jgroups=WARN");
    }
}
