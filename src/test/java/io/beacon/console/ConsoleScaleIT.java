package io.beacon.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.Browser;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The overview with 5,000 services and 50,000 instances: the page loads the whole registry from the stream's
 * snapshot, and filtering and sorting stay interactive. The registry is filled in-process (50,000 HTTP
 * registrations would only measure the test); the browser reads it through the public stream. The times are
 * measured in the page with {@code performance.now()} and printed; the assertions are generous bounds that
 * catch a page that freezes, not a benchmark.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false",
            "beacon.limits.max-services=6000", "beacon.limits.max-instances=60000"})
@Import(TestClockConfiguration.class)
class ConsoleScaleIT {

    static final int SERVICES = 5_000;
    static final int PER_SERVICE = 10;

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    MutableClock clock;

    @Test
    void fiveThousandServicesAndFiftyThousandInstancesStayInteractive() throws IOException {
        Browser.assumeInstalled();
        for (int s = 0; s < SERVICES; s++) {
            for (int i = 0; i < PER_SERVICE; i++) {
                Instance instance = Instance.builder(ServiceName.of(String.format("svc-%04d", s)), null,
                        "10." + (s / 250) + "." + (s % 250) + "." + (i + 1), 8080)
                        .zone("zone-" + (i % 3)).version("v" + (i % 2)).tags(List.of("team-" + (s % 50), "http"))
                        .metadata(Map.of("owner", "team-" + (s % 50)))
                        .lease(Duration.ofHours(1), Duration.ofHours(2)).build(clock.instant());
                registry.register(instance, clock.instant());
            }
        }
        assertThat(registry.size()).isEqualTo(SERVICES * PER_SERVICE);

        ChromeDriver chrome = Browser.start(Files.createTempDirectory("beacon-console-scale"));
        try {
            long t0 = System.nanoTime();
            chrome.get("http://127.0.0.1:" + port + "/ui/#/");
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().untilAsserted(() -> assertThat(
                    chrome.findElement(By.id("overview-count")).getText()).isEqualTo("5000 services, 50000 instances"));
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            long rows = (Long) chrome.executeScript("return document.querySelectorAll('#services-body tr[data-service]').length");

            double filterMs = time(chrome, "const f = document.getElementById('filter-name'); f.value = 'svc-004';"
                    + "f.dispatchEvent(new Event('input'));");
            assertThat(chrome.findElement(By.id("overview-count")).getText()).isEqualTo("10 of 5000 services");
            double tagMs = time(chrome, "const f = document.getElementById('filter-name'); f.value = '';"
                    + "f.dispatchEvent(new Event('input')); const t = document.getElementById('filter-tag');"
                    + "t.value = 'team-7'; t.dispatchEvent(new Event('input'));");
            assertThat(chrome.findElement(By.id("overview-count")).getText()).isEqualTo("100 of 5000 services");
            double clearMs = time(chrome, "const t = document.getElementById('filter-tag'); t.value = '';"
                    + "t.dispatchEvent(new Event('input'));");
            double sortMs = time(chrome, "document.querySelector(\"button[data-sort='total']\").click();");
            double scrollMs = time(chrome, "const v = document.getElementById('services-viewport');"
                    + "v.scrollTop = 32 * 4000; v.dispatchEvent(new Event('scroll'));");
            // read in the page in one step: the scrolled list may render its rows again between a find and a read
            assertThat((String) chrome.executeScript(
                    "return document.querySelector('#services-body tr[data-service]').getAttribute('data-service')"))
                    .startsWith("svc-");
            Browser.screenshot(chrome, "overview-5000");

            System.out.printf("console at %d services / %d instances: first snapshot shown %d ms after navigation, "
                    + "%d rows in the DOM; name filter %.1f ms, tag filter %.1f ms, clear %.1f ms, sort %.1f ms, "
                    + "scroll %.1f ms%n", SERVICES, SERVICES * PER_SERVICE, loadMs, rows, filterMs, tagMs, clearMs,
                    sortMs, scrollMs);
            assertThat(rows).isLessThan(100);
            assertThat(List.of(filterMs, tagMs, clearMs, sortMs, scrollMs)).allSatisfy(ms -> assertThat(ms).isLessThan(1000.0));
        } finally {
            chrome.quit();
        }
    }

    /** Runs {@code script} in the page and returns how long it took there, by {@code performance.now()}. */
    private static double time(ChromeDriver chrome, String script) {
        Object ms = chrome.executeScript("const t0 = performance.now();" + script + "return performance.now() - t0;");
        return ((Number) ms).doubleValue();
    }
}
