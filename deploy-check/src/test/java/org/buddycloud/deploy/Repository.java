package org.buddycloud.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository the checks read: the services (deploy/docker/services) and the configuration each one must be given. */
final class Repository {

    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath().normalize();

    private Repository() {
    }

    /** Service name → HTTP port, as the images are built. */
    static Map<String, Integer> services() {
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String line : lines(ROOT.resolve("deploy/docker/services"))) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String[] parts = trimmed.split("\\s+");
                services.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        return services;
    }

    /**
     * The environment variables a deployment of {@code service} must set: every setting whose default points at this
     * machine (localhost, 127.0.0.1 — fine for ./buddycloud up, wrong anywhere else), the database password where
     * there is a database, and the secrets a service cannot run safely without.
     */
    static Set<String> requiredEnvironment(String service) {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> required = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key);
            if (!key.startsWith("%") && (value.contains("localhost") || value.contains("127.0.0.1"))) {
                required.add(environmentName(key));
            }
        }
        if (properties.containsKey("quarkus.datasource.jdbc.url")) {
            required.add("QUARKUS_DATASOURCE_USERNAME");
            required.add("QUARKUS_DATASOURCE_PASSWORD");
        }
        if (properties.containsKey("buddycloud.auth.confirmation-url") || service.equals("channel-server")) {
            required.add("BUDDYCLOUD_INTERNAL_SECRET");
        }
        if (properties.containsKey("buddycloud.s3.endpoint")) {
            required.add("BUDDYCLOUD_S3_ACCESS_KEY");
            required.add("BUDDYCLOUD_S3_SECRET_KEY");
        }
        required.remove("QUARKUS_HTTP_PORT");
        return required;
    }

    /**
     * How long the channel server keeps a dropped XEP-0198 session for its client to resume: the default of
     * {@code buddycloud.xmpp.stream-management.resumption-timeout}, read from its configuration interface.
     */
    static Duration resumptionTimeout() {
        String source = read(ROOT.resolve("channel-server/src/main/java/org/buddycloud/channels/xmpp/XmppConfig.java"));
        Matcher matcher = Pattern.compile("@WithDefault\\(\"(\\d+)s\"\\)\\s*Duration resumptionTimeout\\(\\)").matcher(source);
        if (!matcher.find()) {
            throw new IllegalStateException("XmppConfig no longer declares resumptionTimeout() with a default in seconds");
        }
        return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
    }

    /** MicroProfile Config's environment form of a property name. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path path) {
        try {
            return new ArrayList<>(Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
