package io.beacon.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documentation stays findable: README.md is a short front door, every relative link in README.md and
 * docs/*.md leads to an existing file and heading, the topic files the README promises exist, and
 * benchmark figures live in docs/performance.md only.
 */
class DocumentationLinksTest {

    static final int README_MAX_LINES = 250;
    static final Pattern LINK = Pattern.compile("(?<!!)\\[[^]]*]\\(([^)\\s]+)\\)");
    /** A figure of a benchmark run: a rate or a dated measurement. */
    static final Pattern FIGURE = Pattern.compile("\\d[\\d,.]*\\s*(req/s|ops/s|picks/s|checks/s)|\\b20\\d\\d-\\d\\d-\\d\\d\\b");

    @Test
    void readmeIsShort() {
        long lines = Docs.read(Docs.README).lines().count();
        assertThat(lines).as("lines of README.md").isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void readmeOpensWithTheTwoCommands() {
        List<String> lines = Docs.read(Docs.README).lines().limit(8).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("./mvnw spring-boot:run"))
                .anyMatch(l -> l.startsWith("./mvnw -B verify"));
    }

    @Test
    void everyTopicHasItsFile() {
        for (String topic : List.of("api", "discovery", "watches", "health", "eureka-prometheus", "cluster",
                "operations", "configuration", "metrics", "performance")) {
            Path file = Docs.DOCS.resolve(topic + ".md");
            assertThat(file).as("docs topic").exists();
            assertThat(Docs.read(Docs.README)).as("README links to " + file).contains("](docs/" + topic + ".md");
        }
    }

    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        Map<Path, String> docs = Docs.all();
        docs.forEach((file, text) -> {
            for (String line : Docs.proseLines(text)) {
                Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    String problem = problem(file, target);
                    if (problem != null) {
                        broken.add(file + ": " + target + " (" + problem + ")");
                    }
                }
            }
        });
        assertThat(broken).as("broken relative links").isEmpty();
        assertThat(docs.keySet()).as("documents checked").hasSizeGreaterThanOrEqualTo(11);
    }

    @Test
    void benchmarkFiguresLiveInPerformanceMdOnly() {
        List<String> found = new ArrayList<>();
        Docs.all().forEach((file, text) -> {
            if (file.endsWith("performance.md")) {
                return;
            }
            Matcher m = FIGURE.matcher(text);
            while (m.find()) {
                found.add(file + ": " + m.group());
            }
        });
        assertThat(found).as("benchmark figures outside docs/performance.md").isEmpty();
        assertThat(FIGURE.matcher(Docs.read(Docs.DOCS.resolve("performance.md"))).find()).isTrue();
    }

    @Test
    void slugsFollowGitHub() {
        assertThat(Docs.slug("Policy: default strategy, version split, outlier thresholds"))
                .isEqualTo("policy-default-strategy-version-split-outlier-thresholds");
        assertThat(Docs.slug("`beacon.cluster.*`")).isEqualTo("beaconcluster");
        assertThat(Docs.slug("Blocking discovery (long poll)")).isEqualTo("blocking-discovery-long-poll");
        assertThat(Docs.anchors("# A\n```\n# not a heading\n```\n## A\n")).containsExactly("a", "a-1");
    }

    /** Why a link from {@code from} to {@code target} does not resolve, or null when it does. */
    private static String problem(Path from, String target) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(path).normalize();
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor != null) {
            if (!file.toString().endsWith(".md")) {
                return "anchor into a file that is not Markdown";
            }
            if (!Docs.anchors(Docs.read(file)).contains(anchor)) {
                return "no heading with anchor #" + anchor;
            }
        }
        return null;
    }
}
