package org.buddycloud.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Merges the OpenAPI 3 documents of the gateway and of the services behind it into one: the API as apps see it
 * through the gateway. Every path under the gateway's path for it, every component once, every operation marked
 * with the service that answers it. Pure: documents in, a document out; fetching them is {@link MergedOpenApi}'s job.
 *
 * <p>Where two documents meet, the first wins: the gateway's (it answers its own paths, whatever a service says),
 * then the services in the order given. A component of the same name and a different body is not dropped but
 * renamed {@code <Name>_<service>}, with every reference to it in that service's document, so that each operation
 * keeps describing what its own service really sends.
 */
public final class OpenApiMerger {

    public static final String TITLE = "Buddycloud API";
    /** The name the gateway's own operations are marked and tagged with. */
    public static final String GATEWAY = "api-gateway";
    public static final String SERVICE_EXTENSION = "x-buddycloud-service";
    /** In {@code info}: the services whose documents could not be had, so a reader knows the document is partial. */
    public static final String MISSING_EXTENSION = "x-buddycloud-missing";

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    /** Never reached by apps through a service: operator endpoints, the services' API for each other, and the caller check, which the gateway answers itself. */
    private static final List<String> HIDDEN_ROOTS = List.of("q", "internal", "whoami");
    /** What SmallRye writes by default; only used when no document at all could be had. */
    private static final String DEFAULT_VERSION = "3.1.0";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One service's document ({@code null} when the service is down or not deployed) and how its paths appear on the
     * gateway: the gateway's path for one of the service's, or {@code null} for a path apps cannot reach.
     */
    public record Part(String service, JsonNode document, UnaryOperator<String> pathMapping) {
        public Part {
            Objects.requireNonNull(service, "service");
            pathMapping = pathMapping == null ? UnaryOperator.identity() : pathMapping;
        }
    }

    /** The gateway's own document ({@code null} if it could not be had) merged with the services' ones, inputs untouched. */
    public ObjectNode merge(JsonNode gateway, List<Part> services) {
        Merge merge = new Merge();
        merge.add(new Part(GATEWAY, gateway, hidingRoots("q")));
        services.forEach(merge::add);
        return merge.result(gateway);
    }

    /** Keeps every path except those whose first segment is one of {@code roots}. */
    public static UnaryOperator<String> hidingRoots(String... roots) {
        Set<String> hidden = Set.of(roots);
        return path -> hidden.contains(firstSegment(path)) ? null : path;
    }

    /** A service's paths as apps reach them: the same, less operator, internal and caller-check paths and {@code alsoHidden}. */
    public static UnaryOperator<String> servicePaths(String... alsoHidden) {
        List<String> hidden = new ArrayList<>(HIDDEN_ROOTS);
        hidden.addAll(List.of(alsoHidden));
        return hidingRoots(hidden.toArray(String[]::new));
    }

    /**
     * The media server's {@code /{channel}…} is the gateway's {@code /{channel}/media…} (the gateway's route table
     * sends it there); a media server path not under a channel is not reachable through the gateway.
     */
    public static UnaryOperator<String> mediaServerPaths() {
        UnaryOperator<String> visible = servicePaths();
        return path -> {
            if (visible.apply(path) == null || !path.startsWith("/{")) {
                return null;
            }
            int end = path.indexOf('/', 1);
            String channel = end < 0 ? path : path.substring(0, end);
            return channel.endsWith("}") ? channel + "/media" + (end < 0 ? "" : path.substring(end)) : null;
        };
    }

    private static String firstSegment(String path) {
        if (path == null) {
            return "";
        }
        String relative = path.startsWith("/") ? path.substring(1) : path;
        int end = relative.indexOf('/');
        return end < 0 ? relative : relative.substring(0, end);
    }

    /** One merge's state: what is merged so far. */
    private static final class Merge {
        private final ObjectNode paths = NODES.objectNode();
        private final ObjectNode components = NODES.objectNode();
        private final Map<String, JsonNode> tags = new LinkedHashMap<>();
        private final Set<String> operationIds = new HashSet<>();
        private final List<String> missing = new ArrayList<>();
        private String openapi;

        void add(Part part) {
            if (part.document() == null || !part.document().isObject()) {
                missing.add(part.service());
                return;
            }
            ObjectNode document = part.document().deepCopy();
            if (openapi == null && document.path("openapi").isTextual()) {
                openapi = document.get("openapi").asText();
            }
            pushDownSecurity(document);
            ComponentRenames.plan(components, document.path("components"), part.service()).apply(document);
            addComponents(document.path("components"));
            addTags(document.path("tags"));
            addPaths(part, document.path("paths"));
        }

        ObjectNode result(JsonNode gateway) {
            ObjectNode result = NODES.objectNode();
            result.put("openapi", openapi == null ? DEFAULT_VERSION : openapi);
            ObjectNode info = gateway != null && gateway.path("info").isObject() ? gateway.get("info").deepCopy()
                    : NODES.objectNode();
            info.put("title", TITLE);
            if (!info.has("version")) {
                info.put("version", "unknown"); // required by the specification
            }
            ArrayNode missingServices = info.putArray(MISSING_EXTENSION);
            missing.forEach(missingServices::add);
            result.set("info", info);
            if (!tags.isEmpty()) {
                result.putArray("tags").addAll(tags.values());
            }
            result.set("paths", paths);
            if (!components.isEmpty()) {
                result.set("components", components);
            }
            return result;
        }

        /**
         * A document-wide {@code security} would apply to every service's operations once merged: each operation
         * without its own gets a copy of its document's instead, and the merged document has none.
         */
        private static void pushDownSecurity(ObjectNode document) {
            JsonNode security = document.remove("security");
            if (security != null && security.isArray()) {
                forEachOperation(document.path("paths"), operation -> {
                    if (!operation.has("security")) {
                        operation.set("security", security.deepCopy());
                    }
                });
            }
        }

        private void addComponents(JsonNode incoming) {
            for (Map.Entry<String, JsonNode> section : incoming.properties()) {
                String name = section.getKey();
                JsonNode known = components.get(name);
                if (!section.getValue().isObject() || name.startsWith("x-") || known == null || !known.isObject()) {
                    components.putIfAbsent(name, section.getValue());
                    continue;
                }
                // an incoming component of a known name is identical to it: the plan renamed every different one
                section.getValue().properties().forEach(component ->
                        ((ObjectNode) known).putIfAbsent(component.getKey(), component.getValue()));
            }
        }

        private void addTags(JsonNode incoming) {
            for (JsonNode tag : incoming) {
                if (tag.path("name").isTextual()) {
                    tags.putIfAbsent(tag.get("name").asText(), tag);
                }
            }
        }

        private void addPaths(Part part, JsonNode incoming) {
            for (Map.Entry<String, JsonNode> entry : incoming.properties()) {
                String path = part.pathMapping().apply(entry.getKey());
                if (path == null || !entry.getValue().isObject()) {
                    continue;
                }
                ObjectNode item = (ObjectNode) entry.getValue();
                item.remove("servers"); // the service's own address, which apps never reach
                JsonNode known = paths.get(path);
                if (known == null) {
                    forEachOperationOf(item, operation -> describe(operation, part.service()));
                    paths.set(path, item);
                    continue;
                }
                for (String method : METHODS) {
                    if (item.get(method) instanceof ObjectNode operation && !known.has(method)) {
                        inheritParameters(operation, item.path("parameters"));
                        describe(operation, part.service());
                        ((ObjectNode) known).set(method, operation);
                    }
                }
            }
        }

        /** Marks an operation with its service, tags it after the service if it has no tag, keeps its id unique. */
        private void describe(ObjectNode operation, String service) {
            operation.remove("servers");
            operation.put(SERVICE_EXTENSION, service);
            if (!operation.path("tags").isArray() || operation.get("tags").isEmpty()) {
                operation.putArray("tags").add(service);
                tags.putIfAbsent(service, NODES.objectNode().put("name", service));
            }
            if (operation.path("operationId").isTextual()) {
                String id = operation.get("operationId").asText();
                String unique = id;
                for (int n = 2; !operationIds.add(unique); n++) {
                    unique = id + "_" + ComponentRenames.suffix(service) + (n == 2 ? "" : "_" + n);
                }
                operation.put("operationId", unique);
            }
        }

        /** An operation moved into another service's path item takes its own path item's parameters along. */
        private static void inheritParameters(ObjectNode operation, JsonNode pathParameters) {
            if (!pathParameters.isArray() || pathParameters.isEmpty()) {
                return;
            }
            ArrayNode own = operation.get("parameters") instanceof ArrayNode array ? array : operation.putArray("parameters");
            Set<String> declared = new HashSet<>();
            own.forEach(parameter -> declared.add(parameterKey(parameter)));
            pathParameters.forEach(parameter -> {
                if (!declared.contains(parameterKey(parameter))) {
                    own.add(parameter.deepCopy());
                }
            });
        }

        private static String parameterKey(JsonNode parameter) {
            return parameter.has("$ref") ? parameter.get("$ref").asText()
                    : parameter.path("in").asText() + " " + parameter.path("name").asText();
        }
    }

    private static void forEachOperation(JsonNode paths, Consumer<ObjectNode> action) {
        paths.properties().forEach(item -> forEachOperationOf(item.getValue(), action));
    }

    private static void forEachOperationOf(JsonNode pathItem, Consumer<ObjectNode> action) {
        for (String method : METHODS) {
            if (pathItem.get(method) instanceof ObjectNode operation) {
                action.accept(operation);
            }
        }
    }

    /**
     * Which of a service's components clash with the ones already merged (same name, different body), their new
     * names, and the rewriting of the service's document to them.
     */
    private static final class ComponentRenames {
        private static final String PREFIX = "#/components/";

        /** Old reference to new, e.g. {@code #/components/schemas/Item} to {@code #/components/schemas/Item_media_server}. */
        private final Map<String, String> refs = new HashMap<>();
        /** Per section ({@code schemas}, {@code securitySchemes}, …), old name to new. */
        private final Map<String, Map<String, String>> names = new HashMap<>();

        static String suffix(String service) {
            return service.replace('-', '_');
        }

        static ComponentRenames plan(ObjectNode merged, JsonNode incoming, String service) {
            ComponentRenames renames = new ComponentRenames();
            // a component that refers to a renamed one differs from its namesake once rewritten: until nothing changes
            boolean renamedOne = true;
            while (renamedOne) {
                renamedOne = false;
                for (Map.Entry<String, JsonNode> section : incoming.properties()) {
                    JsonNode known = merged.path(section.getKey());
                    if (section.getKey().startsWith("x-") || !section.getValue().isObject() || !known.isObject()) {
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> component : section.getValue().properties()) {
                        String name = component.getKey();
                        if (renames.renamed(section.getKey(), name) || !known.has(name)
                                || known.get(name).equals(renames.rewrite(component.getValue().deepCopy()))) {
                            continue;
                        }
                        renames.add(section.getKey(), name, freeName(name, service, known, section.getValue()));
                        renamedOne = true;
                    }
                }
            }
            return renames;
        }

        private static String freeName(String name, String service, JsonNode known, JsonNode incoming) {
            String base = name + "_" + suffix(service);
            String candidate = base;
            for (int n = 2; known.has(candidate) || incoming.has(candidate); n++) {
                candidate = base + "_" + n;
            }
            return candidate;
        }

        private boolean renamed(String section, String name) {
            return names.getOrDefault(section, Map.of()).containsKey(name);
        }

        private void add(String section, String name, String newName) {
            names.computeIfAbsent(section, s -> new HashMap<>()).put(name, newName);
            refs.put(PREFIX + section + "/" + name, PREFIX + section + "/" + newName);
        }

        void apply(ObjectNode document) {
            if (names.isEmpty()) {
                return;
            }
            rewrite(document);
            ObjectNode components = (ObjectNode) document.get("components");
            names.forEach((section, renamed) -> components.set(section, renameKeys(components.get(section), renamed)));
            // security requirements name their schemes, they do not refer to them
            Map<String, String> schemes = names.getOrDefault("securitySchemes", Map.of());
            if (!schemes.isEmpty()) {
                forEachOperation(document.path("paths"), operation -> {
                    if (operation.get("security") instanceof ArrayNode requirements) {
                        for (int i = 0; i < requirements.size(); i++) {
                            requirements.set(i, renameKeys(requirements.get(i), schemes));
                        }
                    }
                });
            }
        }

        /** Rewrites, in place, every {@code $ref} and discriminator mapping to a renamed component. */
        private JsonNode rewrite(JsonNode node) {
            rewrite(node, false);
            return node;
        }

        private void rewrite(JsonNode node, boolean mapping) {
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                    JsonNode value = field.getValue();
                    if (!value.isTextual()) {
                        rewrite(value, field.getKey().equals("mapping"));
                    } else if ((mapping || field.getKey().equals("$ref")) && refs.containsKey(value.asText())) {
                        object.put(field.getKey(), refs.get(value.asText()));
                    }
                }
            } else if (node instanceof ArrayNode array) {
                array.forEach(element -> rewrite(element, false));
            }
        }

        /** The same object with some keys renamed, in the same order. */
        private static JsonNode renameKeys(JsonNode object, Map<String, String> renamed) {
            if (!(object instanceof ObjectNode)) {
                return object;
            }
            ObjectNode copy = NODES.objectNode();
            object.properties().forEach(field -> copy.set(renamed.getOrDefault(field.getKey(), field.getKey()), field.getValue()));
            return copy;
        }
    }
}
