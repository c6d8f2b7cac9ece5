package io.beacon.cluster;

import io.beacon.BeaconApplication;
import io.beacon.support.Http;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Beacon member in its own JVM, started from the test class path, so that it can be killed outright. */
final class ExternalMember {

    final Http http;
    private final Process process;

    private ExternalMember(int httpPort, Process process) {
        this.http = new Http(httpPort);
        this.process = process;
    }

    static ExternalMember start(String name, int httpPort, int jgroupsPort, List<Integer> all, Path log) {
        return start(name, httpPort, jgroupsPort, all, log, List.of());
    }

    static ExternalMember start(String name, int httpPort, int jgroupsPort, List<Integer> all, Path log,
            List<String> extra) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), BeaconApplication.class.getName()));
        command.addAll(ClusterPorts.args(name, httpPort, jgroupsPort, all));
        command.addAll(extra);
        try {
            File out = log.toFile();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out)).start();
            return new ExternalMember(httpPort, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean ready() {
        try {
            return http.get("/actuator/health/readiness").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** kill -9: no shutdown hook, no leave message. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
