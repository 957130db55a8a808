package org.buddycloud.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.buddycloud.gateway.openapi.OpenApiMerger.Part;
import org.junit.jupiter.api.Test;

/** The merged API document: each service's paths where the gateway serves them, components once, nothing lost. */
class OpenApiMergerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GATEWAY = """
            {"openapi": "3.1.0",
             "info": {"title": "Buddycloud API gateway", "version": "0.1.0"},
             "servers": [{"url": "http://localhost:8080"}],
             "tags": [{"name": "Live"}],
             "paths": {
               "/notifications/posts": {"get": {"tags": ["Live"], "responses": {"200": {"description": "new posts"}}}},
               "/q/health": {"get": {"responses": {"200": {"description": "up"}}}}
             }}""";

    private static final String CHANNEL_SERVER = """
            {"openapi": "3.1.0",
             "info": {"title": "channel-server", "version": "0.1.0"},
             "servers": [{"url": "http://channel-server:8081"}],
             "paths": {
               "/{channel}/content/{node}": {"get": {"operationId": "items",
                 "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}},
                               "404": {"$ref": "#/components/responses/NotFound"}}}},
               "/internal/accounts": {"get": {"responses": {"200": {"description": "accounts"}}}},
               "/whoami": {"get": {"responses": {"200": {"description": "the caller"}}}},
               "/q/openapi": {"get": {"responses": {"200": {"description": "this document"}}}}
             },
             "components": {
               "schemas": {
                 "Item": {"type": "object", "properties": {"id": {"type": "string"}, "content": {"type": "string"}}},
                 "Page": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
                 "Problem": {"type": "object", "properties": {"title": {"type": "string"}}}
               },
               "responses": {"NotFound": {"description": "no such thing"}}
             }}""";

    private static final String MEDIA_SERVER = """
            {"openapi": "3.1.0",
             "info": {"title": "media-server", "version": "0.1.0"},
             "paths": {
               "/{channel}": {"get": {"tags": ["Media"],
                   "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}},
                                 "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
                 "post": {"tags": ["Media"], "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}},
               "/{channel}/{id}": {"get": {"tags": ["Media"], "operationId": "items", "responses": {"200": {"description": "the file"}}}},
               "/q/health": {"get": {"responses": {"200": {"description": "up"}}}}
             },
             "components": {
               "schemas": {
                 "Item": {"type": "object", "properties": {"id": {"type": "string"}, "fileName": {"type": "string"}}},
                 "Page": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
                 "Problem": {"type": "object", "properties": {"title": {"type": "string"}}}
               }
             }}""";

    private static final String PUSH_SERVER = """
            {"openapi": "3.1.0",
             "info": {"title": "push-server", "version": "0.1.0"},
             "paths": {
               "/devices": {"get": {"responses": {"200": {"description": "the caller's devices"}}}},
               "/status": {"get": {"responses": {"200": {"description": "push providers"}}}}
             }}""";

    private final OpenApiMerger merger = new OpenApiMerger();

    @Test
    void mediaPathsAreServedUnderTheChannel() {
        JsonNode paths = merged(channelServer(), mediaServer()).get("paths");

        assertTrue(paths.has("/{channel}/media"));
        assertTrue(paths.get("/{channel}/media").has("post"));
        assertTrue(paths.has("/{channel}/media/{id}"));
        assertFalse(paths.has("/{channel}"));
        assertFalse(paths.has("/{channel}/{id}"));
    }

    @Test
    void mediaServerPathsMapOnlyPathsUnderAChannel() {
        UnaryOperator<String> media = OpenApiMerger.mediaServerPaths();

        assertEquals("/{channel}/media", media.apply("/{channel}"));
        assertEquals("/{channel}/media/avatar/metadata", media.apply("/{channel}/avatar/metadata"));
        assertEquals("/{channel}/media/transfers/{id}", media.apply("/{channel}/transfers/{id}"));
        assertNull(media.apply("/q/health"));
        assertNull(media.apply("/status"));
    }

    @Test
    void aClashingComponentIsRenamedAfterItsServiceAndItsReferencesFollow() {
        JsonNode merged = merged(channelServer(), mediaServer());
        JsonNode schemas = merged.at("/components/schemas");

        assertTrue(schemas.at("/Item/properties").has("content"));
        assertTrue(schemas.at("/Item_media_server/properties").has("fileName"));
        assertEquals("#/components/schemas/Item_media_server",
                merged.at("/paths/~1{channel}~1media/post/responses/201/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/Page",
                merged.at("/paths/~1{channel}~1content~1{node}/get/responses/200/content/application~1json/schema/$ref").asText());
    }

    @Test
    void aComponentReferringToARenamedOneIsRenamedToo() {
        JsonNode merged = merged(channelServer(), mediaServer());
        JsonNode schemas = merged.at("/components/schemas");

        // both Pages read the same, but the media server's lists its own Item
        assertEquals("#/components/schemas/Item", schemas.at("/Page/properties/items/items/$ref").asText());
        assertEquals("#/components/schemas/Item_media_server",
                schemas.at("/Page_media_server/properties/items/items/$ref").asText());
        assertEquals("#/components/schemas/Page_media_server",
                merged.at("/paths/~1{channel}~1media/get/responses/200/content/application~1json/schema/$ref").asText());
    }

    @Test
    void identicalComponentsAreKeptOnce() {
        JsonNode merged = merged(channelServer(), mediaServer());

        assertTrue(merged.at("/components/schemas").has("Problem"));
        assertFalse(merged.at("/components/schemas").has("Problem_media_server"));
        assertEquals("#/components/schemas/Problem",
                merged.at("/paths/~1{channel}~1media/get/responses/400/content/application~1json/schema/$ref").asText());
        assertEquals("no such thing", merged.at("/components/responses/NotFound/description").asText());
    }

    @Test
    void aServiceWithoutADocumentIsListedAsMissing() {
        JsonNode merged = merged(channelServer(), new Part("search-service", null, OpenApiMerger.servicePaths()),
                mediaServer());

        assertEquals(List.of("search-service"), names(merged.at("/info/" + OpenApiMerger.MISSING_EXTENSION)));
        assertTrue(merged.get("paths").has("/{channel}/content/{node}"));
        assertTrue(merged.get("paths").has("/{channel}/media"));
    }

    @Test
    void theDocumentIsTheGatewaysUnderTheApiTitleWithoutServers() {
        JsonNode merged = merged(channelServer());

        assertEquals("3.1.0", merged.get("openapi").asText());
        assertEquals(OpenApiMerger.TITLE, merged.at("/info/title").asText());
        assertEquals("0.1.0", merged.at("/info/version").asText());
        assertTrue(merged.at("/info/" + OpenApiMerger.MISSING_EXTENSION).isEmpty());
        assertFalse(merged.has("servers"));
        assertTrue(merged.get("paths").has("/notifications/posts"));
    }

    @Test
    void internalOperatorAndCallerCheckPathsAreDropped() {
        JsonNode paths = merged(channelServer(), mediaServer(), pushServer()).get("paths");

        assertEquals(List.of("/notifications/posts", "/{channel}/content/{node}", "/{channel}/media",
                "/{channel}/media/{id}", "/devices"), names(paths));
    }

    @Test
    void everyOperationIsMarkedWithItsServiceAndTaggedAfterItIfUntagged() {
        JsonNode merged = merged(channelServer(), mediaServer(), pushServer());

        assertEquals("api-gateway", merged.at("/paths/~1notifications~1posts/get/x-buddycloud-service").asText());
        assertEquals(List.of("Live"), names(merged.at("/paths/~1notifications~1posts/get/tags")));
        assertEquals("channel-server", merged.at("/paths/~1{channel}~1content~1{node}/get/x-buddycloud-service").asText());
        assertEquals(List.of("channel-server"), names(merged.at("/paths/~1{channel}~1content~1{node}/get/tags")));
        assertEquals("media-server", merged.at("/paths/~1{channel}~1media/post/x-buddycloud-service").asText());
        assertEquals(List.of("Media"), names(merged.at("/paths/~1{channel}~1media/post/tags")));
        assertEquals(List.of("push-server"), names(merged.at("/paths/~1devices/get/tags")));
        List<String> tags = new ArrayList<>();
        merged.get("tags").forEach(tag -> tags.add(tag.get("name").asText()));
        assertEquals(List.of("Live", "channel-server", "push-server"), tags);
    }

    @Test
    void aSecondOperationIdIsMadeUniqueAfterItsService() {
        JsonNode merged = merged(channelServer(), mediaServer());

        assertEquals("items", merged.at("/paths/~1{channel}~1content~1{node}/get/operationId").asText());
        assertEquals("items_media_server", merged.at("/paths/~1{channel}~1media~1{id}/get/operationId").asText());
    }

    @Test
    void servicesSharingAPathShareItsItemAndTheFirstWinsAMethodBothDescribe() {
        Part first = new Part("taste-engine", document("""
                {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
                  "/recommendations": {"get": {"description": "first", "responses": {"200": {"description": "ok"}}}}}}"""),
                OpenApiMerger.servicePaths());
        Part second = new Part("friend-finder", document("""
                {"openapi": "3.1.0", "info": {"title": "f", "version": "1"}, "paths": {
                  "/recommendations": {
                    "parameters": [{"name": "max", "in": "query", "schema": {"type": "integer"}}],
                    "get": {"description": "second", "responses": {"200": {"description": "ok"}}},
                    "post": {"responses": {"204": {"description": "done"}}}}}}"""),
                OpenApiMerger.servicePaths());

        JsonNode item = merger.merge(gateway(), List.of(first, second)).at("/paths/~1recommendations");

        assertEquals("first", item.at("/get/description").asText());
        assertEquals("friend-finder", item.at("/post/x-buddycloud-service").asText());
        assertEquals("max", item.at("/post/parameters/0/name").asText());
    }

    @Test
    void theInputDocumentsAreLeftAsTheyWere() {
        Part media = mediaServer();
        String before = media.document().toString();

        merged(channelServer(), media);

        assertEquals(before, media.document().toString());
    }

    private JsonNode merged(Part... services) {
        return merger.merge(gateway(), List.of(services));
    }

    private static JsonNode gateway() {
        return document(GATEWAY);
    }

    private static Part channelServer() {
        return new Part("channel-server", document(CHANNEL_SERVER), OpenApiMerger.servicePaths());
    }

    private static Part mediaServer() {
        return new Part("media-server", document(MEDIA_SERVER), OpenApiMerger.mediaServerPaths());
    }

    private static Part pushServer() {
        return new Part("push-server", document(PUSH_SERVER), OpenApiMerger.servicePaths("status"));
    }

    private static JsonNode document(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An object's field names or an array's texts, in order. */
    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> names.add(element.asText()));
        } else {
            node.properties().forEach(field -> names.add(field.getKey()));
        }
        return names;
    }
}
