package io.beacon.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.support.Browser;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real browser (Debian's headless Chromium): registrations appear without a reload,
 * a lapsed lease turns STALE with its reason, an operator drains through the UI and {@code /discover}
 * drops the instance, a visitor without a token cannot act, and a cut stream shows a disconnect and
 * resumes. Access control is enforced: the console reads with a {@code read} token and acts with an
 * {@code operate} one. The browser reaches Beacon through a proxy the test can cut. Time is the test clock, started
 * at the wall clock's second so the browser's heartbeat ages start near zero; the sweeper is called
 * directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false",
            "beacon.security.mode=enforced",
            "beacon.security.tokens.admin.secret=" + ConsoleBrowserIT.ADMIN, "beacon.security.tokens.admin.scopes=admin",
            "beacon.security.tokens.ops-ci.secret=" + ConsoleBrowserIT.OPERATOR,
            "beacon.security.tokens.ops-ci.scopes=read,operate:console-*",
            "beacon.security.tokens.viewer.secret=" + ConsoleBrowserIT.VIEWER, "beacon.security.tokens.viewer.scopes=read"})
@Import(ConsoleBrowserIT.WallStartClock.class)
class ConsoleBrowserIT {

    /** The test clock, started at the wall clock's current second. */
    @TestConfiguration(proxyBeanMethods = false)
    static class WallStartClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ADMIN = "admin-secret-0123456789abcdef";
    static final String OPERATOR = "ops-ci-secret-0123456789abcdef";
    static final String VIEWER = "viewer-secret-0123456789abcdef";

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    ExpirySweeper sweeper;

    static ChromeDriver chrome;
    static DroppingProxy proxy;
    static Path profile;
    Http http;
    String svc;

    @BeforeAll
    static void browser() throws IOException {
        Browser.assumeInstalled();
        profile = Files.createTempDirectory("beacon-console-profile");
        chrome = Browser.start(profile);
    }

    @AfterAll
    static void close() throws IOException {
        if (chrome != null) {
            chrome.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        if (proxy == null) {
            proxy = new DroppingProxy(port);
        }
        proxy.restore();
        http = new Http(port);
        svc = "console-" + UUID.randomUUID().toString().substring(0, 8);
        chrome.get(ui("#/"));
        chrome.executeScript("sessionStorage.clear()");
        chrome.get("about:blank");
    }

    private String ui(String hash) {
        return "http://127.0.0.1:" + proxy.port() + "/ui/" + hash;
    }

    /** A request to Beacon with the admin token. */
    private HttpResponse<String> call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("Authorization", "Bearer " + ADMIN);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(b);
    }

    private JsonNode get(String path) {
        HttpResponse<String> r = call("GET", path, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return Http.json(r);
    }

    private HttpResponse<String> register(String address, int lease) {
        HttpResponse<String> r = call("POST", "/register", "{\"name\":\"" + svc + "\",\"address\":\"" + address
                + "\",\"port\":8080,\"zone\":\"eu-west-1a\",\"version\":\"v1\",\"tags\":[\"http\",\"blue\"],"
                + "\"metadata\":{\"team\":\"checkout\"},\"leaseSeconds\":" + lease + "}");
        assertThat(r.statusCode()).isEqualTo(201);
        return r;
    }

    /** Opens a console page with a token (the viewer's, unless given) and waits for the live stream. */
    private void open(String hash) {
        open(hash, VIEWER);
    }

    private void open(String hash, String token) {
        chrome.get(ui(hash));
        if (token != null) {
            Browser.useToken(chrome, token);
            awaitText(By.id("connection"), "Live");
        }
    }

    private void awaitText(By by, String text) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> assertThat(chrome.findElement(by).getText()).contains(text));
    }

    private WebElement row(String id) {
        return chrome.findElement(By.cssSelector("#instances-body tr[data-instance='" + id + "']"));
    }

    private int discovered() {
        return get("/discover?name=" + svc).get("count").asInt();
    }

    @Test
    void aRegistrationAppearsOnTheOverviewWithoutAReload() {
        open("#/");
        chrome.executeScript("window.notReloaded = true");
        String rowSelector = "#services-body tr[data-service='" + svc + "']";
        By row = By.cssSelector(rowSelector);
        chrome.findElement(By.id("filter-name")).sendKeys(svc);
        // the moment the row is in the page, by the browser's clock (the same machine's as the test's)
        chrome.executeScript("const sel = arguments[0]; new MutationObserver((m, o) => {"
                + " if (document.querySelector(sel)) { window.shownAt = Date.now(); o.disconnect(); } })"
                + ".observe(document.body, { childList: true, subtree: true })", rowSelector);
        long sent = System.currentTimeMillis();
        register("10.9.0.1", 3600);

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            WebElement r = chrome.findElement(row);
            assertThat(r.findElement(By.cssSelector("td[data-status='UP']")).getText()).isEqualTo("1");
        });
        assertThat(chrome.findElement(row).getText()).contains("eu-west-1a", "blue, http");
        assertThat(chrome.executeScript("return window.notReloaded === true")).isEqualTo(true);
        assertThat(chrome.findElement(By.id("overview-count")).getText()).startsWith("1 of ");
        long shown = ((Number) chrome.executeScript("return window.shownAt")).longValue();
        assertThat(shown).isGreaterThanOrEqualTo(sent);
        System.out.printf("console: registration sent to row on the overview in %d ms%n", shown - sent);
    }

    @Test
    void aLapsedLeaseTurnsStaleWithTheReasonShown() {
        register("10.9.0.2", 30);
        open("#/services/" + svc);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(row("10.9.0.2:8080").getText()).contains("UP", "Lease current"));

        clock.advance(Duration.ofSeconds(34));
        sweeper.sweep(clock.instant());

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            WebElement r = row("10.9.0.2:8080");
            assertThat(r.getAttribute("data-status")).isEqualTo("STALE");
            assertThat(r.findElement(By.cssSelector("td.why")).getText())
                    .contains("STALE since", "no heartbeat since", "longer than its 30 s lease", "No heartbeat for");
        });
        assertThat(chrome.findElement(By.id("recent-changes")).getText()).contains("status changed", "STALE");
        Browser.screenshot(chrome, "service-stale");
    }

    @Test
    void anOperatorDrainsThroughTheConsoleAndDiscoveryDropsTheInstance() throws IOException {
        // a fresh browser: after the other tests in the same browser the drain was at times never sent (not
        // understood yet; the same steps pass every time in a browser of their own)
        chrome.quit();
        chrome = Browser.start(Files.createTempDirectory("beacon-console-profile"));
        register("10.9.0.3", 3600);
        register("10.9.0.4", 3600);
        open("#/services/" + svc, OPERATOR);
        awaitText(By.id("action-mode"), "Actions use your operator token");
        assertThat(chrome.getCurrentUrl()).doesNotContain(OPERATOR);
        assertThat(chrome.executeScript("return sessionStorage.getItem('beacon.console.token')")).isEqualTo(OPERATOR);
        assertThat(chrome.executeScript("return localStorage.length")).isEqualTo(0L);
        assertThat(discovered()).isEqualTo(2);

        // pressed again while the drain has not shown: a press can land on a row the stream is re-rendering
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            WebElement r = row("10.9.0.3:8080");
            r.findElements(By.cssSelector("button[data-action='drain']")).forEach(button -> Browser.press(chrome, button));
            assertThat(row("10.9.0.3:8080").getAttribute("data-status")).isEqualTo("OUT_OF_SERVICE");
        });
        // the explanation follows from the catalog view the page re-reads after the event
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(row("10.9.0.3:8080").getText()).contains("drained by token 'ops-ci'"));
        JsonNode found = get("/discover?name=" + svc);
        assertThat(found.get("count").asInt()).isEqualTo(1);
        assertThat(found.get("services").get(0).get("id").asString()).isEqualTo("10.9.0.4:8080");
        Browser.screenshot(chrome, "service-drained");

        row("10.9.0.4:8080").findElement(By.cssSelector("input.weight")).clear();
        row("10.9.0.4:8080").findElement(By.cssSelector("input.weight")).sendKeys("250");
        Browser.press(chrome, row("10.9.0.4:8080").findElement(By.cssSelector("button[data-action='weight']")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/services/" + svc
                + "/instances/10.9.0.4:8080").get("weight").asInt()).isEqualTo(250));

        chrome.findElement(By.id("split-input")).sendKeys("v1=90, v2=10");
        Browser.press(chrome, chrome.findElement(By.cssSelector("button[data-action='split']")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/services/" + svc + "/policy")
                .get("split").toString()).isEqualTo("[{\"version\":\"v1\",\"weight\":90},{\"version\":\"v2\",\"weight\":10}]"));
        awaitText(By.id("policy-split"), "v1=90, v2=10");

        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                Browser.press(chrome, row("10.9.0.3:8080").findElement(By.cssSelector("button[data-action='return']"))));
        await().atMost(WAIT).untilAsserted(() -> assertThat(discovered()).isEqualTo(2));
    }

    @Test
    void aVisitorWithoutATokenSeesWhyAndAReadOnlyVisitorCannotAct() {
        register("10.9.0.5", 3600);
        open("#/services/" + svc, null);
        awaitText(By.id("connection"), "needs a token with the read scope");
        assertThat(chrome.findElement(By.id("action-mode")).getText()).startsWith("Read-only: no operator token is set");
        assertThat(chrome.findElements(By.cssSelector("#view button:enabled"))).isEmpty();

        Browser.useToken(chrome, VIEWER);
        awaitText(By.id("connection"), "Live");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(row("10.9.0.5:8080").getText()).contains("UP"));
        row("10.9.0.5:8080").findElement(By.cssSelector("button[data-action='drain']")).click();

        awaitText(By.id("notice"), "403");
        assertThat(chrome.findElement(By.id("notice")).getText()).contains("operate:" + svc);
        assertThat(row("10.9.0.5:8080").getAttribute("data-status")).isEqualTo("UP");
        assertThat(discovered()).isEqualTo(1);
        assertThat(get("/services/" + svc + "/instances/10.9.0.5:8080").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void aCutStreamShowsTheDisconnectAndResumesWithTheMissedChanges() {
        register("10.9.0.6", 3600);
        open("#/");
        chrome.findElement(By.id("filter-name")).sendKeys(svc);
        By up = By.cssSelector("#services-body tr[data-service='" + svc + "'] td[data-status='UP']");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(chrome.findElement(up).getText()).isEqualTo("1"));

        proxy.cut();
        awaitText(By.id("connection"), "Disconnected: reconnecting");
        assertThat(chrome.findElement(By.id("connection")).getText()).contains("resuming after event");
        register("10.9.0.7", 3600);
        proxy.restore();

        awaitText(By.id("connection"), "Live");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(chrome.findElement(up).getText()).isEqualTo("2"));
    }

    @Test
    void theRootRedirectsToTheConsoleWhosePagesCarryAStrictContentSecurityPolicy() {
        HttpResponse<String> root = http.get("/");
        assertThat(http.get("/services").statusCode()).isEqualTo(401);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/"));

        for (String path : List.of("/ui/", "/ui/app.js", "/ui/console.css")) {
            HttpResponse<String> page = http.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        }
        assertThat(http.get("/ui/").body()).contains("<script type=\"module\" src=\"app.js\"></script>")
                .doesNotContain("style=\"", "onclick");
    }

    /** No script error and no Content-Security-Policy violation in the browser's console. */
    @AfterEach
    void noScriptErrors() {
        List<String> problems = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Uncaught") || m.contains("TypeError"))
                .toList();
        assertThat(problems).isEmpty();
    }
}
