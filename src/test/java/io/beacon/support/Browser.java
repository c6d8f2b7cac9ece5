package io.beacon.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver: both binaries are named explicitly, so
 * Selenium Manager never runs and nothing is downloaded. Tests that use it are skipped (a JUnit assumption)
 * only when Chromium or its driver is not installed ({@code apt-get install chromium chromium-driver}).
 */
public final class Browser {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Browser() {
    }

    /** Skips the calling test class when Chromium or chromedriver is absent. */
    public static void assumeInstalled() {
        assumeTrue(find(CHROMIUM).isPresent() && find(DRIVER).isPresent(),
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    }

    /** A new headless Chromium with a fresh profile in {@code profile}, 1280x900. */
    public static ChromeDriver start(Path profile) {
        String driver = find(DRIVER).orElseThrow();
        System.setProperty("webdriver.chrome.driver", driver);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find(CHROMIUM).orElseThrow());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return chrome;
    }

    /** Enters {@code token} as the console's operator token and waits until the page says it is set. */
    public static void useToken(ChromeDriver chrome, String token) {
        chrome.findElement(By.id("token-input")).sendKeys(token);
        chrome.findElement(By.id("token-save")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                chrome.findElement(By.id("token-state")).getText()).contains("Token set for this tab only"));
    }

    /**
     * Activates an enabled button as a click would, through the page's own click(): after several tests in one
     * browser, WebDriver's pointer clicks on the instances table were at times dispatched without reaching the
     * button (a test-environment effect; the same clicks work on a fresh browser).
     */
    public static void press(ChromeDriver chrome, WebElement button) {
        assertThat(button.isEnabled()).isTrue();
        chrome.executeScript("arguments[0].click()", button);
    }

    /** Saves a screenshot as {@code target/console/NAME.png}; returns its path. */
    public static Path screenshot(ChromeDriver chrome, String name) {
        try {
            Path dir = Path.of("target", "console");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> find(List<String> candidates) {
        return Stream.of(candidates.toArray(String[]::new)).filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
