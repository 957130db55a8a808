package org.buddycloud.webtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The issue's story in real browsers, against the whole stack: Romeo and Juliet sign up, Juliet creates a private
 * topic channel, Romeo asks to follow and Juliet approves, Romeo posts a picture that Juliet sees live with its
 * preview, she replies and he sees it live (also after his connection dropped and came back), they exchange direct
 * messages over XMPP, search finds the post for them — and a stranger's browser never sees it. A screenshot of each
 * step is kept in target/screenshots.
 */
@ExtendWith(WebStack.Extension.class)
class RomeoAndJulietTest {

    private static final String PASSWORD = "wherefore-art-thou";
    @Test
    void romeoAndJulietMeetInAPrivateChannelAndAStrangerSeesNothing(WebStack stack) throws Exception {
        Browsers.assumeAvailable();
        String gateway = stack.gatewayUrl();
        String domain = stack.domain();
        Path picture = picture();
        List<LogEntry> errors = new ArrayList<>();
        // Romeo reaches the gateway through a link the test can cut
        try (FlakyLink romeoLink = new FlakyLink(gateway);
             Person juliet = new Person("juliet", domain, Browsers.newBrowser("juliet"));
             Person romeo = new Person("romeo", domain, Browsers.newBrowser("romeo"))) {
            juliet.signUp(gateway, PASSWORD);
            romeo.signUp(romeoLink.url(), PASSWORD);
            juliet.screenshot("signed up");

            String balcony = "balcony@topics." + domain;
            juliet.createTopicChannel("balcony", true);
            assertTrue(juliet.pageText().contains("private"), "the channel says it is private");
            juliet.screenshot("created a private channel");

            romeo.openChannel(balcony);
            romeo.until(d -> d.findElement(By.id("not-readable")));
            assertEquals("Ask to follow", romeo.followButton());
            romeo.clickFollow();
            romeo.untilText(By.id("follow-button"), "Request sent");
            romeo.screenshot("request sent");

            juliet.screenshot("sees the request");
            juliet.approve(romeo.jid);
            romeo.untilText(By.id("follow-button"), "Unfollow");
            romeo.until(d -> d.findElement(By.id("post-text")));
            romeo.screenshot("approved");

            WebElement romeoPost = romeo.post("But soft, what light through yonder window breaks? @" + juliet.jid, picture.toString());
            long width = romeo.imagePreviewWidth(romeoPost);
            assertTrue(width > 0 && width <= 480, "a preview that fits 480 px, not the 1200 px original: " + width);
            romeo.screenshot("posted a picture");

            WebElement julietSees = juliet.postShown("yonder window");
            assertTrue(juliet.imagePreviewWidth(julietSees) > 0, "juliet sees the preview");
            assertFalse(julietSees.findElements(By.cssSelector("mark.mention-me")).isEmpty(), "her name stands out");
            juliet.screenshot("sees the post live");

            juliet.reply(julietSees, "It is my lady, O it is my love");
            romeo.replyShown(romeoPost, "It is my lady");
            romeo.screenshot("sees the reply live");

            // Romeo's connection drops: the page says so, and what was said meanwhile arrives when it is back
            errors.addAll(romeo.consoleErrors());
            romeoLink.cut();
            romeo.untilText(By.id("live-state"), "Reconnecting");
            juliet.reply(julietSees, "Deny thy father and refuse thy name");
            romeo.screenshot("connection lost");
            romeoLink.heal();
            romeo.untilText(By.id("live-state"), "Live");
            romeo.replyShown(romeoPost, "refuse thy name");
            romeo.untilText(By.id("dm-state"), "online");
            romeo.screenshot("caught up after reconnecting");
            // while the link was down the browser logged its failed connections, and nothing else
            List<String> whileCut = romeo.consoleErrors().stream().map(LogEntry::getMessage)
                    .filter(m -> !(m.contains(romeoLink.url()) && m.contains("net::ERR_"))).toList();
            assertEquals(List.of(), whileCut, "console errors other than failed connections while the link was cut");

            // an unread count for a channel not on screen
            juliet.browser.findElement(By.cssSelector("#my-channel a")).click();
            juliet.untilChannelShown(juliet.jid);
            romeo.post("Shall I hear more, or shall I speak at this?");
            juliet.until(d -> juliet.unread(balcony) == 1 ? Boolean.TRUE : null);
            juliet.screenshot("unread count");

            juliet.sendDirectMessage(romeo.jid, "Romeo, doff thy name");
            romeo.untilDirectMessageFrom(juliet.jid, "doff thy name");
            romeo.sendDirectMessage(juliet.jid, "I take thee at thy word");
            juliet.untilDirectMessageFrom(romeo.jid, "thy word");
            juliet.screenshot("direct messages");

            List<String> found = juliet.until(d -> {
                List<String> hits = juliet.searchPosts("yonder window");
                return hits.isEmpty() ? null : hits;
            });
            assertTrue(found.get(0).contains("yonder window"), "search finds the post: " + found);
            juliet.screenshot("search finds the post");

            errors.addAll(juliet.consoleErrors());
            errors.addAll(romeo.consoleErrors());
        }

        // the stranger is on a phone
        try (Person paris = new Person("paris", domain, Browsers.newPhone("paris"))) {
            paris.signUp(gateway, PASSWORD);
            assertEquals(List.of(), paris.searchPosts("yonder window"), "a stranger's search finds nothing of a private channel");
            paris.openChannel("balcony@topics." + domain);
            paris.until(d -> d.findElement(By.id("not-readable")));
            assertFalse(paris.pageText().contains("yonder window"), "the post is nowhere on the stranger's page");
            paris.screenshot("a stranger sees nothing");
            errors.addAll(paris.consoleErrors());
        }

        assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "console errors in the browsers");
    }

    /** A 1200 x 800 PNG: big enough that the page must show a preview, not the file. */
    static Path picture() throws IOException {
        BufferedImage image = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x1d3557));
        g.fillRect(0, 0, 1200, 800);
        g.setColor(new Color(0xf1c40f));
        g.fillOval(450, 150, 300, 300);
        g.setColor(new Color(0xe9ecef));
        g.fillRect(200, 500, 800, 60);
        g.dispose();
        Path file = Path.of("target", "balcony.png").toAbsolutePath();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
