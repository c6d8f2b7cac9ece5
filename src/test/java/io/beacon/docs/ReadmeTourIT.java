package io.beacon.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The README's five-minute tour works when pasted in order at reading speed: every command of its
 * {@code bash} blocks runs in a real shell with the real {@code curl} against a live Beacon, while the
 * clock moves {@link #READING} between commands and the expiry sweeper runs, so instances whose lease
 * lapses while one reads would fail the later steps. Each command must answer 2xx (or the status its
 * comment names, e.g. {@code # 400}); each plain {@code /discover} must find at least one instance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(TestClockConfiguration.class)
class ReadmeTourIT {

    /** How long a reader spends on each command. */
    static final Duration READING = Duration.ofMinutes(2);

    static final String TOUR_HEADING = "## Five-minute tour";
    static final Pattern EXPECTED_STATUS = Pattern.compile("#\\s+(\\d{3})\\b");
    static final Pattern STATUS = Pattern.compile("@@status=(\\d{3})");
    static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    static final int CURL_TIMED_OUT = 28;

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ExpirySweeper sweeper;

    @Test
    void theTourWorksPastedInOrderAtReadingSpeed() throws Exception {
        List<String> commands = tourCommands(Docs.read(Docs.README));
        assertThat(commands).as("commands of the README tour").hasSizeGreaterThanOrEqualTo(15)
                .anyMatch(c -> c.contains("/register")).anyMatch(c -> c.contains("/heartbeat/"))
                .anyMatch(c -> c.contains("/report")).anyMatch(c -> c.contains("/status"))
                .anyMatch(c -> c.contains("&zone=") || c.contains("&tag="));
        for (String command : commands) {
            assertThat(command).as("a tour command with a placeholder").doesNotContain("...", "<", ">", "{name}", "{id}");
            assertThat(command).as("tour commands address the documented port").doesNotContainPattern("localhost:(?!8080)");
        }
        for (String command : commands) {
            clock.advance(READING);
            sweeper.sweep(clock.instant());
            Result result = run(command);
            String where = "README tour command:\n" + command + "\nstdout:\n" + result.stdout + "\nstderr:\n" + result.stderr;
            boolean stream = command.contains("curl -N");
            assertThat(result.exit).as(where).isIn(stream ? List.of(0, CURL_TIMED_OUT) : List.of(0));
            int status = result.status();
            Matcher expected = EXPECTED_STATUS.matcher(comment(command));
            if (expected.find()) {
                assertThat(status).as(where).isEqualTo(Integer.parseInt(expected.group(1)));
            } else {
                assertThat(status).as(where).isBetween(200, 299);
            }
            if (command.contains("/discover?") && !command.contains("status=") && status == 200) {
                Matcher count = COUNT.matcher(result.stdout);
                assertThat(count.find()).as(where).isTrue();
                assertThat(Integer.parseInt(count.group(1))).as("instances found by " + where).isPositive();
            }
            if (stream) {
                assertThat(result.stdout).as(where).contains("event: snapshot", "10.0.0.5:8080");
            }
        }
    }

    @Test
    void commandsAreSplitAsAShellReadsThem() {
        String markdown = """
                # x
                ## Five-minute tour
                ```bash
                curl -s -X POST localhost:8080/register -d '{
                  "a": 1}'
                curl -s localhost:8080/x \\
                  -H 'A: b'   # 204
                # a comment
                ```
                ## Next
                ```bash
                curl not-in-the-tour
                ```
                """;
        assertThat(tourCommands(markdown)).containsExactly(
                "curl -s -X POST localhost:8080/register -d '{\n  \"a\": 1}'",
                "curl -s localhost:8080/x \\\n  -H 'A: b'   # 204");
        assertThat(comment("curl -s 'a#b' -d \"#c\"   # 400: x")).isEqualTo("# 400: x");
    }

    /** The commands of the {@code bash} blocks of the tour section, each possibly spanning lines. */
    static List<String> tourCommands(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean inTour = false;
        boolean inBash = false;
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (!inBash && line.startsWith("## ")) {
                inTour = line.trim().equals(TOUR_HEADING);
                continue;
            }
            if (!inTour) {
                continue;
            }
            if (line.trim().startsWith("```")) {
                inBash = !inBash && line.trim().equals("```bash");
                continue;
            }
            if (!inBash) {
                continue;
            }
            if (current == null) {
                if (line.isBlank() || line.trim().startsWith("#")) {
                    continue;
                }
                current = new StringBuilder(line);
            } else {
                current.append('\n').append(line);
            }
            if (complete(current.toString())) {
                commands.add(current.toString());
                current = null;
            }
        }
        assertThat(current).as("an unfinished command in the tour").isNull();
        return commands;
    }

    /** True when the text closes every quote and does not end in a line continuation. */
    static boolean complete(String command) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\\' && !single && i + 1 < command.length()) {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(command.charAt(i - 1)))) {
                int end = command.indexOf('\n', i);
                if (end < 0) {
                    break;
                }
                i = end;
            }
        }
        return !single && !dbl && !command.stripTrailing().endsWith("\\");
    }

    /** The trailing shell comment of a command ({@code # 400: ...}), or "". */
    static String comment(String command) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
                return command.substring(i).trim();
            }
        }
        return "";
    }

    record Result(int exit, String stdout, String stderr) {

        /** The HTTP status of the command's curl call, written to stderr by the wrapper below. */
        int status() {
            Matcher m = STATUS.matcher(stderr);
            int status = -1;
            while (m.find()) {
                status = Integer.parseInt(m.group(1));
            }
            return status;
        }
    }

    /**
     * Runs one command in bash with the real curl, pointed at this test's server. A wrapper function adds
     * the status to stderr (so pipes such as {@code | grep} keep working) and bounds every call.
     */
    Result run(String command) throws IOException, InterruptedException {
        String local = command.replace("localhost:8080", "127.0.0.1:" + port);
        String maxTime = command.contains("curl -N") ? "3" : "30";
        String script = "curl() { command curl -sS -w '%{stderr}@@status=%{http_code}\\n' \"$@\" --max-time "
                + maxTime + "; }\n" + local + "\n";
        Process process = new ProcessBuilder("bash", "-c", script).start();
        process.getOutputStream().close();
        byte[] out;
        byte[] err;
        try {
            var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("command finished: " + command).isTrue();
            out = stdout.join();
            err = stderr.join();
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
