package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0313 (urn:xmpp:mam:2) for a user's own archive: the query form (get), queries (set) answered with one
 * {@code <result/>} message per archived message and then {@code <fin/>}, and the preferences.
 */
@ApplicationScoped
public class MamIqs {

    private static final Set<String> FIELDS = Set.of("FORM_TYPE", "with", "start", "end", "after-id", "before-id", "ids");

    private final MessageArchive archive;
    private final XmppConfig config;
    private final ArchivePrefs defaultPrefs;

    MamIqs(MessageArchive archive, XmppConfig config) {
        this.archive = archive;
        this.config = config;
        this.defaultPrefs = ArchivePrefs.byDefault(ArchivePrefs.Mode.parse(config.archive().defaultMode()).orElseThrow(() ->
                new IllegalArgumentException("buddycloud.xmpp.archive.default-mode is always, never or roster, not "
                        + config.archive().defaultMode())));
    }

    /** What users who never set preferences get. */
    ArchivePrefs defaultPrefs() {
        return defaultPrefs;
    }

    /** An IQ in the MAM namespace about the session's own archive. */
    public XmlElement handle(ClientSession from, XmlElement iq) {
        XmlElement request = iq.firstElement().orElseThrow();
        boolean set = "set".equals(iq.attr("type"));
        if (request.is("query", Namespaces.MAM)) {
            return set ? query(from, iq, request) : form(iq);
        }
        if (request.is("prefs", Namespaces.MAM)) {
            return set ? setPrefs(from.fullJid().toBare(), iq, request) : prefs(iq, prefsOf(from.fullJid().toBare()));
        }
        return Stanzas.unsupported(iq);
    }

    private static XmlElement form(XmlElement iq) {
        XmlElement reply = Stanzas.result(iq);
        DataForm form = DataForm.of("form", Namespaces.MAM)
                .field("with", "jid-single", "With")
                .field("start", "text-single", "Start")
                .field("end", "text-single", "End")
                .field("after-id", "text-single", "After this message")
                .field("before-id", "text-single", "Before this message")
                .field("ids", "text-multi", "These messages");
        reply.add("query", Namespaces.MAM).append(form.element());
        return reply;
    }

    private XmlElement query(ClientSession from, XmlElement iq, XmlElement request) {
        Map<String, List<String>> values = DataForm.values(request);
        Optional<String> unknown = values.keySet().stream().filter(field -> !FIELDS.contains(field)).findFirst();
        if (unknown.isPresent()) {
            return Stanzas.error(iq, "cancel", "feature-not-implemented", "the field '" + unknown.get() + "' is not supported", null);
        }
        Optional<String> formType = DataForm.first(values, "FORM_TYPE");
        if (formType.isPresent() && !formType.get().equals(Namespaces.MAM)) {
            throw new DomainException(Condition.BAD_REQUEST, "the form is not of " + Namespaces.MAM);
        }
        Jid owner = from.fullJid().toBare();
        Jid with = DataForm.first(values, "with").filter(v -> !v.isBlank()).map(v -> Stanzas.jidValue("with", v)).orElse(null);
        Instant start = DataForm.first(values, "start").filter(v -> !v.isBlank()).map(v -> instant("start", v)).orElse(null);
        Instant end = DataForm.first(values, "end").filter(v -> !v.isBlank()).map(v -> instant("end", v)).orElse(null);
        List<String> ids = values.getOrDefault("ids", List.of()).stream().filter(v -> !v.isBlank()).toList();

        Optional<XmlElement> set = request.element("set", Namespaces.RSM);
        int max = set.flatMap(s -> s.childText("max", Namespaces.RSM)).map(MamIqs::number).orElse(config.archive().defaultPageSize());
        max = Math.max(0, Math.min(max, config.archive().maxPageSize()));
        String after = set.flatMap(s -> s.childText("after", Namespaces.RSM)).filter(v -> !v.isBlank()).orElse(null);
        Optional<String> beforeElement = set.flatMap(s -> s.childText("before", Namespaces.RSM));
        String before = beforeElement.filter(v -> !v.isBlank()).orElse(null);
        boolean lastPage = beforeElement.isPresent() && before == null;

        MessageArchive.Page page = archive.query(new MessageArchive.Query(owner, with, start, end,
                DataForm.first(values, "after-id").filter(v -> !v.isBlank()).orElse(null),
                DataForm.first(values, "before-id").filter(v -> !v.isBlank()).orElse(null), ids, max, after, before, lastPage));

        String queryId = request.attr("queryid");
        for (MessageArchive.Archived message : page.messages()) {
            from.send(result(from.fullJid(), owner, queryId, message));
        }
        XmlElement reply = Stanzas.result(iq);
        XmlElement fin = reply.add("fin", Namespaces.MAM).attr("complete", Boolean.toString(page.complete()));
        XmlElement rsm = fin.add("set", Namespaces.RSM);
        if (!page.messages().isEmpty()) {
            rsm.addText("first", page.messages().get(0).stanzaId());
            rsm.addText("last", page.messages().get(page.messages().size() - 1).stanzaId());
        }
        rsm.addText("count", Long.toString(page.count()));
        return reply;
    }

    /**
     * One archived message, forwarded with its time. The stored stanza is this server's own serialisation of a
     * parsed stanza (escaped by our writer), so it goes in as it was written rather than parsed again.
     */
    private static XmlElement result(Jid to, Jid archive, String queryId, MessageArchive.Archived message) {
        XmlElement carrier = XmlElement.of("message", Namespaces.CLIENT).attr("to", to.toString()).attr("from", archive.toString())
                .attr("id", UUID.randomUUID().toString());
        XmlElement forwarded = carrier.add("result", Namespaces.MAM).attr("queryid", queryId).attr("id", message.stanzaId())
                .add("forwarded", Namespaces.FORWARD);
        forwarded.add("delay", Namespaces.DELAY).attr("stamp", message.stamp().toString());
        forwarded.appendTrusted(message.stanza());
        return carrier;
    }

    private ArchivePrefs prefsOf(Jid owner) {
        return archive.prefs(List.of(owner)).getOrDefault(owner, defaultPrefs());
    }

    private XmlElement setPrefs(Jid owner, XmlElement iq, XmlElement request) {
        ArchivePrefs.Mode mode = ArchivePrefs.Mode.parse(request.attr("default"))
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "'default' is always, never or roster"));
        ArchivePrefs prefs = new ArchivePrefs(mode, listed(request, "always"), listed(request, "never"));
        archive.savePrefs(owner, prefs);
        return prefs(iq, prefs);
    }

    private static Set<Jid> listed(XmlElement request, String list) {
        Set<Jid> jids = new LinkedHashSet<>();
        request.element(list, Namespaces.MAM).ifPresent(element -> element.elements("jid", Namespaces.MAM)
                .forEach(jid -> jids.add(Stanzas.jidValue(list, jid.text()).toBare())));
        return jids;
    }

    /** The preferences; both lists are always written, empty or not (clients such as Smack expect them). */
    private static XmlElement prefs(XmlElement iq, ArchivePrefs prefs) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement element = reply.add("prefs", Namespaces.MAM).attr("default", prefs.defaultMode().wireName());
        XmlElement always = element.add("always");
        prefs.always().stream().map(Jid::toString).sorted().forEach(jid -> always.addText("jid", jid));
        XmlElement never = element.add("never");
        prefs.never().stream().map(Jid::toString).sorted().forEach(jid -> never.addText("jid", jid));
        return reply;
    }

    /** XEP-0082 date and time, with any offset. */
    private static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, "'" + field + "' is not an XEP-0082 date and time such as 2024-05-01T12:00:00Z");
        }
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "<max/> is not a number: " + text);
        }
    }
}
