package org.buddycloud.webtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;

/**
 * What the story of {@link RomeoAndJulietTest} does not pass through: refusals in words, writing with the keyboard
 * alone, editing and deleting, older posts as one scrolls, a file dropped on the composer, and the settings (avatar,
 * password, notifications, this browser's notifications).
 */
@ExtendWith(WebStack.Extension.class)
class WebClientFeaturesTest {

    private static final String PASSWORD = "rosaline-at-the-feast";

    @Test
    void oneChannelFromEveryAngle(WebStack stack) {
        Browsers.assumeAvailable();
        String gateway = stack.gatewayUrl();
        try (Person rosaline = new Person("rosaline", stack.domain(), Browsers.newBrowser("rosaline"))) {
            // a refusal says what is wrong, in words
            rosaline.browser.get(gateway + "/");
            rosaline.type(By.id("auth-username"), "nobody-here");
            rosaline.type(By.id("auth-password"), "not-a-password");
            rosaline.browser.findElement(By.id("login-button")).click();
            rosaline.untilText(By.id("auth-error"), "Wrong user name or password.");
            rosaline.screenshot("a wrong password is refused in words");

            rosaline.signUp(gateway, PASSWORD);

            // the keyboard alone: into the composer, write, Ctrl+Enter
            WebElement composer = rosaline.browser.findElement(By.id("post-text"));
            composer.click();
            composer.sendKeys("Written with the keyboard alone", Keys.chord(Keys.CONTROL, Keys.ENTER));
            rosaline.postShown("keyboard alone");
            assertEquals("post-text", activeId(rosaline), "the focus stays in the composer");
            new Actions(rosaline.browser).sendKeys(Keys.TAB).perform();
            assertEquals("post-file", activeId(rosaline), "Tab reaches the attachments next");

            // edit, then delete (a second press confirms); each step finds the post again, as a person's eyes would
            rosaline.post("A typo in tihs post");
            rosaline.postShown("tihs").findElement(By.cssSelector(".edit-button")).click();
            WebElement editor = rosaline.until(d -> d.findElement(By.cssSelector("#posts .edit-text")));
            editor.clear();
            editor.sendKeys("No typo in this post");
            rosaline.browser.findElement(By.cssSelector("#posts .edit-save")).click();
            rosaline.until(d -> rosaline.postShown("No typo in this post").getText().contains("(edited)") ? Boolean.TRUE : null);
            rosaline.postShown("No typo in this post").findElement(By.cssSelector(".delete-button")).click();
            rosaline.untilText(By.cssSelector("#posts article.post .delete-button[data-confirm='yes']"), "Delete with its replies?");
            rosaline.postShown("No typo in this post").findElement(By.cssSelector(".delete-button")).click();
            rosaline.until(d -> d.findElements(By.xpath("//article[contains(., 'No typo in this post')]")).isEmpty() ? Boolean.TRUE : null);

            // older posts arrive as one scrolls: 12 more posts, a page shows 10
            for (int i = 1; i <= 12; i++) {
                publish(rosaline, "Numbered post " + i);
            }
            rosaline.browser.navigate().refresh();
            rosaline.until(d -> d.findElements(By.cssSelector("#posts article.post")).size() == 10 ? Boolean.TRUE : null);
            ((JavascriptExecutor) rosaline.browser).executeScript("document.getElementById('load-more').scrollIntoView()");
            rosaline.postShown("Written with the keyboard alone");
            assertEquals(13, rosaline.browser.findElements(By.cssSelector("#posts article.post")).size());
            rosaline.screenshot("older posts after scrolling");

            // a file dropped on the composer is attached
            ((JavascriptExecutor) rosaline.browser).executeScript("""
                    const data = new DataTransfer();
                    data.items.add(new File(['Did my heart love till now?'], 'sonnet.txt', {type: 'text/plain'}));
                    document.getElementById('composer').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));""");
            rosaline.untilText(By.id("chosen-files"), "sonnet.txt");
            WebElement withFile = rosaline.post("A dropped sonnet");
            rosaline.until(d -> withFile.findElement(By.cssSelector(".file-link")).getText().contains("sonnet.txt") ? Boolean.TRUE : null);
            rosaline.screenshot("a dropped file attached");

            // settings: avatar, notifications, this browser, password
            rosaline.browser.findElement(By.id("settings-link")).click();
            rosaline.until(d -> d.findElement(By.id("avatar-file"))).sendKeys(pictureFile());
            rosaline.browser.findElement(By.id("avatar-save")).click();
            rosaline.untilText(By.id("notice"), "Your avatar is changed.");
            rosaline.until(d -> d.findElement(By.cssSelector("#me img.avatar")).isDisplayed() ? Boolean.TRUE : null);
            rosaline.until(d -> d.findElement(By.id("notification-targets")));
            rosaline.browser.findElement(By.id("webpush-enable")).click();
            String pushState = rosaline.until(d -> {
                String text = d.findElement(By.id("webpush-state")).getText();
                return text.isEmpty() || text.equals("Asking…") ? null : text;
            });
            // without internet the browser's push service is out of reach: the page says so in words
            assertTrue(pushState.startsWith("This browser"), pushState);
            rosaline.screenshot("settings");
            rosaline.type(By.id("pw-current"), PASSWORD);
            rosaline.type(By.id("pw-new"), PASSWORD + "-again");
            rosaline.browser.findElement(By.id("pw-save")).click();
            rosaline.untilText(By.id("notice"), "Your password is changed");
            rosaline.browser.findElement(By.id("logout")).click();
            rosaline.until(d -> d.findElement(By.id("auth-view")).isDisplayed() ? Boolean.TRUE : null);
            rosaline.type(By.id("auth-username"), rosaline.name);
            rosaline.type(By.id("auth-password"), PASSWORD + "-again");
            rosaline.browser.findElement(By.id("login-button")).click();
            rosaline.untilText(By.id("live-state"), "Live");
            assertTrue(rosaline.browser.findElement(By.id("app-view")).isDisplayed(), "logged in with the new password");

            List<String> errors = rosaline.consoleErrors().stream().map(LogEntry::getMessage)
                    // the log-in refused on purpose above
                    .filter(m -> !(m.contains("/auth/token") && m.contains("401"))).toList();
            assertEquals(List.of(), errors, "console errors");
        }
    }

    /** A post through the page's own SDK, quicker than typing twelve. */
    private static void publish(Person person, String text) {
        ((JavascriptExecutor) person.browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const app = window.buddycloudApp;"
                        + "app.bc.publish(app.bc.jid, {content: arguments[0]}).then(() => done(), (e) => done(String(e)));", text);
    }

    private static String activeId(Person person) {
        return String.valueOf(((JavascriptExecutor) person.browser).executeScript("return document.activeElement.id"));
    }

    private static String pictureFile() {
        try {
            return RomeoAndJulietTest.picture().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
