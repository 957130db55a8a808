package org.buddycloud.media.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.MediaPermissions.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The media permission table: every access model × affiliation × action that matters, written out. A file is
 * read, stored and removed as a post of the channel is; avatars are public.
 */
class MediaPermissionsTest {

    private static final MediaPermissions PERMISSIONS = new MediaPermissions("example.com");
    private static final Jid LOCAL = Jid.parse("romeo@example.com");
    private static final Jid REMOTE = Jid.parse("tybalt@capulet.lit");

    @ParameterizedTest(name = "{0} {1}/{2} {3} {4} on {5}: {6}")
    @CsvSource({
            // model,   affiliation, subscription, caller,    action, target, allowed
            "OPEN,      NONE,      NONE,       anonymous, READ,   file,   true",
            "OPEN,      NONE,      NONE,       anonymous, UPLOAD, new,    false",
            "OPEN,      NONE,      NONE,       remote,    READ,   file,   true",
            "OPEN,      NONE,      NONE,       local,     UPLOAD, new,    false",
            "OPEN,      MEMBER,    SUBSCRIBED, local,     UPLOAD, new,    false",
            "OPEN,      PUBLISHER, SUBSCRIBED, local,     UPLOAD, new,    true",
            "OPEN,      PUBLISHER, NONE,       local,     UPLOAD, new,    false",
            "OPEN,      PUBLISHER, SUBSCRIBED, local,     MODIFY, other,  false",
            "OPEN,      PUBLISHER, SUBSCRIBED, local,     MODIFY, own,    true",
            "OPEN,      MEMBER,    SUBSCRIBED, local,     MODIFY, own,    true",
            "OPEN,      MODERATOR, SUBSCRIBED, local,     MODIFY, other,  true",
            "OPEN,      OWNER,     NONE,       local,     MODIFY, other,  true",
            "OPEN,      OUTCAST,   NONE,       local,     READ,   file,   false",
            "OPEN,      OUTCAST,   NONE,       local,     READ,   avatar, true",
            "AUTHORIZE, NONE,      NONE,       anonymous, READ,   file,   false",
            "AUTHORIZE, NONE,      NONE,       anonymous, READ,   avatar, true",
            "AUTHORIZE, NONE,      NONE,       local,     READ,   file,   false",
            "AUTHORIZE, NONE,      PENDING,    local,     READ,   file,   false",
            "AUTHORIZE, MEMBER,    NONE,       local,     READ,   file,   false",
            "AUTHORIZE, MEMBER,    SUBSCRIBED, local,     READ,   file,   true",
            "AUTHORIZE, MEMBER,    SUBSCRIBED, local,     UPLOAD, new,    false",
            "AUTHORIZE, PUBLISHER, SUBSCRIBED, remote,    UPLOAD, new,    true",
            "AUTHORIZE, PUBLISHER, NONE,       local,     UPLOAD, new,    false",
            "AUTHORIZE, MEMBER,    NONE,       local,     MODIFY, own,    false",
            "AUTHORIZE, MODERATOR, NONE,       local,     READ,   file,   true",
            "AUTHORIZE, OWNER,     NONE,       local,     UPLOAD, new,    true",
            "WHITELIST, MEMBER,    NONE,       local,     READ,   file,   true",
            "WHITELIST, NONE,      SUBSCRIBED, local,     READ,   file,   false",
            "LOCAL,     NONE,      NONE,       local,     READ,   file,   true",
            "LOCAL,     NONE,      NONE,       remote,    READ,   file,   false",
            "LOCAL,     MEMBER,    SUBSCRIBED, remote,    READ,   file,   true",
            "LOCAL,     NONE,      NONE,       anonymous, READ,   file,   false",
            "LOCAL,     NONE,      NONE,       anonymous, READ,   avatar, true",
    })
    void decides(AccessModel model, Affiliation affiliation, Subscription subscription, String callerKind, MediaAction action,
                 String targetKind, boolean allowed) {
        Optional<Jid> caller = switch (callerKind.trim()) {
            case "anonymous" -> Optional.empty();
            case "local" -> Optional.of(LOCAL);
            default -> Optional.of(REMOTE);
        };
        Target target = switch (targetKind.trim()) {
            case "new" -> Target.NEW_FILE;
            case "avatar" -> Target.AVATAR;
            case "own" -> new Target(caller.orElseThrow(), false);
            default -> new Target(Jid.parse("nurse@example.com"), false);
        };
        assertEquals(allowed, PERMISSIONS.allows(action, model, caller, Standing.of(affiliation, subscription), target));
    }

    @Test
    void anonymousCallersAreAskedToLogInAndOthersAreForbidden() {
        DomainException anonymous = assertThrows(DomainException.class, () -> PERMISSIONS.check(MediaAction.UPLOAD, AccessModel.OPEN,
                Optional.empty(), Standing.STRANGER, Target.NEW_FILE));
        assertEquals(Condition.NOT_AUTHORIZED, anonymous.condition());
        DomainException stranger = assertThrows(DomainException.class, () -> PERMISSIONS.check(MediaAction.READ, AccessModel.AUTHORIZE,
                Optional.of(LOCAL), Standing.STRANGER, Target.NEW_FILE));
        assertEquals(Condition.FORBIDDEN, stranger.condition());
        assertTrue(stranger.getMessage().contains("private"), stranger.getMessage());
    }

    @Test
    void anAvatarIsReadableByEveryoneButChangedOnlyByThoseWhoMayUpload() {
        for (AccessModel model : AccessModel.values()) {
            assertTrue(PERMISSIONS.allows(MediaAction.READ, model, Optional.empty(), Standing.STRANGER, Target.AVATAR), model.name());
            assertTrue(!PERMISSIONS.allows(MediaAction.UPLOAD, model, Optional.of(LOCAL), Standing.STRANGER, Target.AVATAR), model.name());
        }
    }
}
