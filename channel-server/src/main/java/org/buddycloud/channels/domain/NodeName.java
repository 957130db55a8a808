package org.buddycloud.channels.domain;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * A node of a channel, {@code /user/<channel JID>/<type>}: {@code posts}, {@code status},
 * {@code geo/previous|current|next}, {@code subscriptions}, or an app-defined type.
 */
public record NodeName(Jid channel, String type) {

    public static final String POSTS = "posts";
    public static final String STATUS = "status";
    public static final String GEO_PREVIOUS = "geo/previous";
    public static final String GEO_CURRENT = "geo/current";
    public static final String GEO_NEXT = "geo/next";
    public static final String SUBSCRIPTIONS = "subscriptions";

    /** The nodes every personal channel has (PROTOCOL.md decision 1). */
    public static final List<String> PERSONAL = List.of(POSTS, STATUS, GEO_PREVIOUS, GEO_CURRENT, GEO_NEXT, SUBSCRIPTIONS);

    private static final Pattern NODE = Pattern.compile("/user/([^/]+)/(.+)");
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63})?");

    public NodeName {
        if (channel == null || !channel.isEntityBare()) {
            throw invalid("a channel is named by a bare JID (name@domain)");
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw invalid("node names are lower-case letters, digits, '.', '_' and '-', at most 64 characters");
        }
    }

    public static NodeName of(Jid channel, String type) {
        return new NodeName(channel, type);
    }

    /** Parses {@code /user/juliet@example.com/posts}. */
    public static NodeName parse(String node) {
        if (node == null || node.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.NODEID_REQUIRED, "a node is required");
        }
        Matcher matcher = NODE.matcher(node);
        if (!matcher.matches()) {
            throw invalid("not a channel node: " + node);
        }
        return new NodeName(channel(matcher.group(1)), matcher.group(2));
    }

    /** A channel JID from user input, refused with a clear reason when it is not a bare JID. */
    public static Jid channel(String text) {
        try {
            Jid jid = Jid.parse(text);
            if (!jid.isEntityBare()) {
                throw invalid("a channel is named by a bare JID (name@domain): " + text);
            }
            return jid;
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, e.getMessage());
        }
    }

    public boolean is(String nodeType) {
        return type.equals(nodeType);
    }

    /** {@code /geo/previous}, {@code /geo/current}, {@code /geo/next}: where the owner was, is and will be (XEP-0080). */
    public boolean isGeo() {
        return is(GEO_PREVIOUS) || is(GEO_CURRENT) || is(GEO_NEXT);
    }

    /** {@code /subscriptions} lists what the owner follows; it is computed, never published to. */
    public boolean isVirtual() {
        return is(SUBSCRIPTIONS);
    }

    public NodeName sibling(String nodeType) {
        return new NodeName(channel, nodeType);
    }

    @Override
    public String toString() {
        return "/user/" + channel + "/" + type;
    }

    private static DomainException invalid(String message) {
        return new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_NODE_FORMAT, message);
    }
}
