package org.buddycloud.webtests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium through Selenium, as /work/shared/recipes/browser-tests.md proved it on these machines:
 * the system's chromium and chromedriver (same version, from apt) named explicitly, so that Selenium Manager never
 * runs (it would try to download a browser). One browser per test class, reused across its tests: two cores.
 */
public final class Browsers {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The default page area (viewport), in CSS pixels. */
    public static final Dimension DESKTOP = new Dimension(1280, 800);
    /** A phone's viewport (iPhone 12 to 15), for the narrow layout: {@link #newPhone}. */
    public static final Dimension PHONE = new Dimension(390, 844);

    private static final System.Logger LOG = TestLog.logger(Browsers.class);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final Path PROFILES = Path.of("target", "browser-profiles").toAbsolutePath();
    /** Screenshots are numbered in the order taken across the whole run, so the folder reads as the story of the run. */
    private static final AtomicInteger SHOTS = new AtomicInteger();

    private Browsers() {
    }

    /** A desktop-sized browser; the calling test (or class, from {@code @BeforeAll}) is skipped where Chromium is missing. */
    public static ChromeDriver newBrowser(String name) {
        return newBrowser(name, DESKTOP);
    }

    /**
     * A browser whose page area (window.innerWidth x innerHeight) is {@code viewport}, at least 500 px wide (headless
     * Chromium's narrowest window; see {@link #newPhone}). The caller quits it ({@code driver.quit()} also stops its
     * chromedriver).
     */
    public static ChromeDriver newBrowser(String name, Dimension viewport) {
        ChromeDriver driver = start(name, options(name, viewport));
        try {
            fitViewport(driver, viewport);
        } catch (RuntimeException e) {
            driver.quit();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "browser " + name + " started (" + viewport.getWidth() + "x" + viewport.getHeight() + ")");
        return driver;
    }

    /**
     * A phone: a {@link #PHONE} viewport at 3 device pixels per CSS pixel, touch events and the mobile viewport rules
     * (Chromium's device emulation: a headless window cannot be narrower than 500 px).
     */
    public static ChromeDriver newPhone(String name) {
        ChromeOptions options = options(name, new Dimension(500, PHONE.getHeight()));
        options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", PHONE.getWidth(), "height", PHONE.getHeight(), "pixelRatio", 3.0)));
        ChromeDriver driver = start(name, options);
        LOG.log(System.Logger.Level.INFO, "phone " + name + " started (" + PHONE.getWidth() + "x" + PHONE.getHeight() + ")");
        return driver;
    }

    /**
     * The recipe's arguments, a profile of its own (two browsers are two users: no shared cookies or storage), console
     * messages of every level kept for {@link #severeConsoleErrors} and notifications allowed.
     */
    private static ChromeOptions options(String name, Dimension window) {
        assumeAvailable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + window.getWidth() + "," + window.getHeight(), "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--user-data-dir=" + newProfile(name));
        // 1 = allow: Notification.permission is "granted" (on http origins) without a prompt nobody could answer
        options.setExperimentalOption("prefs", Map.of("profile.default_content_setting_values.notifications", 1));
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        return options;
    }

    private static ChromeDriver start(String name, ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        try {
            return new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();   // the driver is only stopped with its session, and there is none
            throw e;
        }
    }

    /** Headless Chromium draws a window frame too (143 px high in Chromium 156): grow the window by what the page lacks. */
    private static void fitViewport(ChromeDriver driver, Dimension viewport) {
        List<?> inner = (List<?>) driver.executeScript("return [window.innerWidth, window.innerHeight]");
        Dimension window = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(window.getWidth() + viewport.getWidth() - ((Number) inner.get(0)).intValue(),
                window.getHeight() + viewport.getHeight() - ((Number) inner.get(1)).intValue()));
    }

    /**
     * Skips the caller, saying why (in the log too: Maven's summary only counts skipped tests), where the system's
     * Chromium or its driver is not installed. Call it from {@code @BeforeEach} or a test: a class skipped from
     * {@code @BeforeAll} shows in the summary as no tests at all.
     */
    public static void assumeAvailable() {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                String reason = "no " + executable + ": browser tests need Debian's chromium and chromium-driver "
                        + "(apt-get install chromium chromium-driver; .ci/run does)";
                LOG.log(System.Logger.Level.WARNING, "skipped: " + reason);
                Assumptions.abort(reason);
            }
        }
    }

    /**
     * The console's SEVERE entries (console.error, uncaught exceptions, failed loads such as a 404) since the last
     * call: reading the browser's log empties it. Nothing is filtered; each one is logged, so that a test that tolerates
     * some still shows them.
     */
    public static List<LogEntry> severeConsoleErrors(WebDriver driver) {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        severe.forEach(entry -> LOG.log(System.Logger.Level.WARNING, "browser console: " + entry.getMessage()));
        return severe;
    }

    /** Saves what the browser shows as target/screenshots/NN-step.png (NN: the order in this run) and returns the file. */
    public static Path screenshot(WebDriver driver, String stepName) {
        int number = SHOTS.incrementAndGet();
        try {
            if (number == 1) {
                clearScreenshots();
            }
            Path file = SCREENSHOTS.resolve(String.format(Locale.ROOT, "%02d-%s.png", number, fileName(stepName)));
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            LOG.log(System.Logger.Level.INFO, "screenshot " + file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first screenshot of a run removes the last run's, whose numbers would mix with this one's. */
    private static void clearScreenshots() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            for (Path png : old.filter(p -> p.getFileName().toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
    }

    private static String fileName(String stepName) {
        String name = stepName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "step" : name;
    }

    /** A fresh, empty profile folder under target/ (mvn clean removes them). */
    private static File newProfile(String name) {
        try {
            Files.createDirectories(PROFILES);
            return Files.createTempDirectory(PROFILES, fileName(name) + "-").toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
