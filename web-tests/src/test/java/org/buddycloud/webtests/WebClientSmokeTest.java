package org.buddycloud.webtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web client, as the gateway serves it at /, loads in a browser: its root element is there and the console is clean. */
@ExtendWith(WebStack.Extension.class)
class WebClientSmokeTest {

    /** Generous: the first page load meets services whose JIT is cold, on two busy cores. */
    private static final Duration LOAD = Duration.ofSeconds(30);

    private static WebDriver browser;

    /** Before each test rather than all: a test skipped for want of a browser then counts as skipped, and no stack starts. */
    @BeforeEach
    void openBrowser() {
        Browsers.assumeAvailable();
        if (browser == null) {
            browser = Browsers.newBrowser("smoke");
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theClientLoadsWithoutConsoleErrors(WebStack stack) throws Exception {
        String page = stack.gatewayUrl() + "/";
        // a page the gateway does not serve would only show up as a missing #root: say so plainly first
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(page)).timeout(LOAD).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), () -> "the gateway does not serve the web client at " + page + ": " + answer.body());
        load(browser, page);
        assertEquals(List.of(1280L, 800L), viewport(browser), "the desktop viewport");
        Browsers.screenshot(browser, "web client loaded");
        assertNoConsoleErrors(browser, page);
    }

    @Test
    void theClientLoadsOnAPhone(WebStack stack) {
        WebDriver phone = Browsers.newPhone("smoke-phone");
        try {
            String page = stack.gatewayUrl() + "/";
            load(phone, page);
            assertEquals(List.of(390L, 844L), viewport(phone), "the phone's viewport");
            Browsers.screenshot(phone, "web client on a phone");
            assertNoConsoleErrors(phone, page);
        } finally {
            phone.quit();
        }
    }

    private static void load(WebDriver driver, String page) {
        driver.get(page);
        WebDriverWait wait = new WebDriverWait(driver, LOAD);
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("root")));
    }

    private static Object viewport(WebDriver driver) {
        return ((JavascriptExecutor) driver).executeScript("return [window.innerWidth, window.innerHeight]");
    }

    private static void assertNoConsoleErrors(WebDriver driver, String page) {
        List<LogEntry> errors = Browsers.severeConsoleErrors(driver);
        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "SEVERE console messages on " + page);
    }
}
