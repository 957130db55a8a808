package org.buddycloud.webtests;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person at one browser, doing what a person does in the web client: the test reads as the story, the element
 * ids and classes live here. Every wait is bounded; nothing sleeps.
 */
final class Person implements AutoCloseable {

    /** Generous: two busy cores, services whose JIT is cold, an index that commits every second. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final String name;
    final String jid;
    final ChromeDriver browser;
    private final WebDriverWait wait;

    Person(String name, String domain, ChromeDriver browser) {
        this.name = name;
        this.jid = name + "@" + domain;
        this.browser = browser;
        // the page re-renders a post when it changes (an edit, its own live event): look again rather than fail
        this.wait = (WebDriverWait) new WebDriverWait(browser, PATIENCE).ignoring(StaleElementReferenceException.class);
    }

    void signUp(String gateway, String password) {
        browser.get(gateway + "/");
        until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-username")));
        type(By.id("auth-username"), name);
        type(By.id("auth-password"), password);
        type(By.id("auth-email"), name + "@example.com");
        browser.findElement(By.id("signup-button")).click();
        until(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
        // textContent: a phone hides the name in the top bar, and Selenium's text is only what shows
        until(d -> String.valueOf(((JavascriptExecutor) d).executeScript("return document.getElementById('me').textContent"))
                .contains(jid) ? Boolean.TRUE : null);
        untilText(By.id("live-state"), "Live");
        untilText(By.id("dm-state"), "online");
    }

    void createTopicChannel(String topic, boolean closed) {
        type(By.id("new-channel-name"), topic);
        if (closed) {
            browser.findElement(By.id("new-channel-private")).click();
        }
        browser.findElement(By.id("create-channel")).click();
        untilChannelShown(topic + "@topics." + jid.substring(jid.indexOf('@') + 1));
    }

    void openChannel(String channel) {
        showChannelList();
        type(By.id("open-channel"), channel);
        browser.findElement(By.id("open-channel")).sendKeys(Keys.ENTER);
        untilChannelShown(channel);
    }

    /** On a phone the channel list is folded behind a button. */
    void showChannelList() {
        WebElement toggle = browser.findElement(By.id("menu-toggle"));
        if (toggle.isDisplayed() && !"true".equals(toggle.getAttribute("aria-expanded"))) {
            toggle.click();
        }
        until(ExpectedConditions.visibilityOfElementLocated(By.id("open-channel")));
    }

    void untilChannelShown(String channel) {
        until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#channel[data-channel='" + channel + "']")));
    }

    String followButton() {
        return until(ExpectedConditions.visibilityOfElementLocated(By.id("follow-button"))).getText();
    }

    void clickFollow() {
        browser.findElement(By.id("follow-button")).click();
    }

    /** Answers the follow request of {@code who} once it is listed (it arrives live). */
    void approve(String who) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector("#requests li[data-jid='" + who + "'] .approve"))).click();
        until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#requests li[data-jid='" + who + "']")));
    }

    /** Writes a post, attaching files (paths on this machine); returns once it shows in the channel. */
    WebElement post(String text, String... files) {
        WebElement composer = until(ExpectedConditions.visibilityOfElementLocated(By.id("post-text")));
        composer.sendKeys(text);
        for (String file : files) {
            browser.findElement(By.id("post-file")).sendKeys(file);
        }
        browser.findElement(By.id("post-submit")).click();
        return postShown(text);
    }

    /** The post whose text contains {@code text}, once the channel shows it. */
    WebElement postShown(String text) {
        return until(d -> d.findElements(By.cssSelector("#posts article.post")).stream()
                .filter(a -> a.findElement(By.cssSelector(".post-content")).getText().contains(text)).findFirst().orElse(null));
    }

    /** The reply whose text contains {@code text} under the post, once shown. */
    WebElement replyShown(WebElement post, String text) {
        return until(d -> post.findElements(By.cssSelector(".replies article.reply")).stream()
                .filter(a -> a.getText().contains(text)).findFirst().orElse(null));
    }

    void reply(WebElement post, String text) {
        post.findElement(By.cssSelector(".reply-button")).click();
        WebElement box = until(d -> post.findElement(By.cssSelector(".reply-text")));
        box.sendKeys(text);
        post.findElement(By.cssSelector(".reply-submit")).click();
        replyShown(post, text);
    }

    /** Waits until the image attached to the post is decoded and drawn; returns its natural width. */
    long imagePreviewWidth(WebElement post) {
        WebElement image = until(d -> post.findElement(By.cssSelector(".post-media img.media-preview")));
        return until(d -> {
            Object width = ((JavascriptExecutor) d).executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", image);
            return ((Number) width).longValue() > 0 ? (Long) ((Number) width).longValue() : null;
        });
    }

    void sendDirectMessage(String to, String text) {
        type(By.id("dm-to"), to);
        type(By.id("dm-text"), text);
        browser.findElement(By.id("dm-send")).click();
    }

    void untilDirectMessageFrom(String from, String text) {
        until(d -> d.findElements(By.cssSelector("#dm-log .dm-message[data-from='" + from + "']")).stream()
                .anyMatch(m -> m.getText().contains(text)) ? Boolean.TRUE : null);
    }

    /** Searches and returns the posts found (their texts), once the search has answered. */
    List<String> searchPosts(String words) {
        WebElement box = browser.findElement(By.id("search-input"));
        box.clear();
        box.sendKeys(words, Keys.ENTER);
        // read in the page, in one go: the list is replaced when the answer comes, under any element held here
        String script = "const list = document.getElementById('search-posts');"
                + "const heading = document.querySelector('#search-results q');"
                + "if (!list || !heading || heading.textContent !== arguments[0]) return null;"
                + "if ([...list.children].some((li) => li.textContent === 'Searching…')) return null;"
                + "return [...list.querySelectorAll('li.result')].map((li) => li.textContent);";
        return until(d -> {
            Object found = ((JavascriptExecutor) d).executeScript(script, words);
            return found == null ? null : ((List<?>) found).stream().map(String::valueOf).toList();
        });
    }

    /** The unread count the sidebar shows for a channel (0 without a badge). */
    int unread(String channel) {
        List<WebElement> badge = browser.findElements(By.cssSelector("#sidebar li[data-channel='" + channel + "'] .unread"));
        return badge.isEmpty() ? 0 : Integer.parseInt(badge.get(0).getText());
    }

    void type(By field, String text) {
        WebElement element = until(ExpectedConditions.elementToBeClickable(field));
        element.clear();
        element.sendKeys(text);
    }

    void untilText(By element, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(element, text));
    }

    <T> T until(Function<? super WebDriver, T> condition) {
        return wait.until(condition);
    }

    String pageText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    List<LogEntry> consoleErrors() {
        return Browsers.severeConsoleErrors(browser);
    }

    void screenshot(String step) {
        Browsers.screenshot(browser, name + " " + step);
    }

    @Override
    public void close() {
        browser.quit();
    }
}
