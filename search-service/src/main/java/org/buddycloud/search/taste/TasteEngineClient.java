package org.buddycloud.search.taste;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.search.SearchConfig;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.ChannelHit;
import org.buddycloud.search.domain.Hits;
import org.buddycloud.search.domain.Page;
import org.jboss.logging.Logger;

/**
 * Asks the taste engine over its documented HTTP API (the old API's {@code /recommendations} and
 * {@code /{channel}/similar}) on behalf of the directory. It asks anonymously: the suggestions are those anybody may
 * be shown, open channels only. A refusal keeps its condition and message; no answer is {@code service-unavailable}.
 */
@ApplicationScoped
public class TasteEngineClient {

    private static final Logger LOG = Logger.getLogger(TasteEngineClient.class);

    private final URI base;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    TasteEngineClient(SearchConfig config, ObjectMapper json) {
        this.base = config.tasteEngine().url();
        this.timeout = config.tasteEngine().timeout();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Channels {@code user} might follow. */
    public Hits<ChannelHit> recommendations(Jid user, Page page) {
        return ask("/recommendations?user=" + encoded(user.toString()) + "&" + paging(page));
    }

    /** Channels like {@code channel}. */
    public Hits<ChannelHit> similar(Jid channel, Page page) {
        return ask("/" + encoded(channel.toString()) + "/similar?" + paging(page));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(List<Item> items, Rsm rsm) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rsm(int index, long count) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(String jid, String title, String description, @JsonProperty("channel_type") String channelType,
                @JsonProperty("default_affiliation") String defaultAffiliation, String owner, Instant created) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Refusal(String detail) {
    }

    private Hits<ChannelHit> ask(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warnf("the taste engine at %s did not answer: %s", base, e.toString());
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "recommendations are not available now");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "recommendations are not available now");
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            throw new DomainException(Condition.forHttpStatus(status), detail(response.body()));
        }
        if (status == 200) {
            try {
                Answer answer = json.readValue(response.body(), Answer.class);
                return new Hits<>(answer.rsm().count(), answer.rsm().index(), answer.items().stream().map(TasteEngineClient::hit).toList());
            } catch (IOException | RuntimeException e) {
                LOG.warnf("the taste engine at %s answered what is not its JSON: %s", base, e.toString());
            }
        } else {
            LOG.warnf("the taste engine at %s answered %d", base, status);
        }
        throw new DomainException(Condition.SERVICE_UNAVAILABLE, "recommendations are not available now");
    }

    /** The message of a problem+json refusal. */
    private String detail(byte[] body) {
        try {
            String detail = json.readValue(body, Refusal.class).detail();
            return detail == null ? "the taste engine refused the question" : detail;
        } catch (IOException e) {
            return "the taste engine refused the question";
        }
    }

    private static ChannelHit hit(Item item) {
        ChannelEntry channel = new ChannelEntry(Jid.parse(item.jid()),
                item.channelType() == null ? null : ChannelType.fromWire(item.channelType()),
                item.owner() == null ? null : Jid.parse(item.owner()), item.title(), item.description(), null,
                item.defaultAffiliation() == null ? null : Affiliation.fromWire(item.defaultAffiliation()), true, item.created(),
                null, null, null, null);
        return new ChannelHit(channel, null, List.of());
    }

    private static String paging(Page page) {
        return "max=" + page.max() + "&index=" + page.index();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
