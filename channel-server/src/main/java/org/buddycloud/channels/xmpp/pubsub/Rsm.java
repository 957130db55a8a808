package org.buddycloud.channels.xmpp.pubsub;

import java.util.Optional;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** XEP-0059 result set management: a {@link Page} from {@code <set/>}, and the {@code <set/>} of a {@link Slice}. */
final class Rsm {

    private Rsm() {
    }

    static Page page(XmlElement parent, Integer fallbackMax, int defaultMax) {
        Optional<XmlElement> set = parent.element("set", Namespaces.RSM);
        int max = set.flatMap(s -> s.childText("max", Namespaces.RSM)).map(Rsm::number)
                .orElse(fallbackMax == null ? defaultMax : fallbackMax);
        String after = set.flatMap(s -> s.childText("after", Namespaces.RSM)).filter(v -> !v.isBlank()).orElse(null);
        String before = set.flatMap(s -> s.childText("before", Namespaces.RSM)).filter(v -> !v.isBlank()).orElse(null);
        return new Page(Math.min(max, Page.LIMIT), after, before);
    }

    static XmlElement set(Slice<?> slice) {
        XmlElement set = XmlElement.of("set", Namespaces.RSM);
        if (slice.first() != null) {
            set.add("first").text(slice.first());
            set.addText("last", slice.last());
        }
        set.addText("count", Long.toString(slice.count()));
        return set;
    }

    static Integer number(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_MAX_VALUE_PROVIDED, "not a number: " + text);
        }
    }
}
