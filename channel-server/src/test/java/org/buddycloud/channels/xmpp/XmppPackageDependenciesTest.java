package org.buddycloud.channels.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of the XMPP packages, read from the sources: the root package holds the basics every sub-package
 * shares (namespaces, stanza helpers, configuration) and knows none of them, and the sub-packages depend on each
 * other without cycles, so that each can be read, and changed, knowing only what it uses. The classes that put the
 * others together (the router) live in a sub-package of their own, on top.
 */
class XmppPackageDependenciesTest {

    private static final Path ROOT = Path.of("src/main/java/org/buddycloud/channels/xmpp");
    /** An import, static import or qualified name of a class in a sub-package: group 1 is the sub-package. */
    private static final Pattern SUB_PACKAGE = Pattern.compile("\\borg\\.buddycloud\\.channels\\.xmpp\\.([a-z][a-z0-9_]*)\\.");

    @Test
    void theRootPackageImportsNoneOfItsSubPackages() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROOT)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                Set<String> subPackages = subPackagesUsedBy(file);
                if (!subPackages.isEmpty()) {
                    used.put(file.getFileName().toString(), subPackages);
                }
            });
        }
        assertEquals(Map.of(), used, "classes of org.buddycloud.channels.xmpp that use its sub-packages: move them into one");
    }

    @Test
    void subPackagesDependOnEachOtherWithoutCycles() throws IOException {
        Map<String, Set<String>> dependencies = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(file -> file.toString().endsWith(".java") && !file.getParent().equals(ROOT)).forEach(file -> {
                String subPackage = ROOT.relativize(file).getName(0).toString();
                Set<String> used = subPackagesUsedBy(file);
                used.remove(subPackage);
                dependencies.computeIfAbsent(subPackage, p -> new TreeSet<>()).addAll(used);
            });
        }
        assertTrue(dependencies.size() > 3, "the sub-packages were not found under " + ROOT.toAbsolutePath());
        for (String start : dependencies.keySet()) {
            List<String> cycle = cycleThrough(start, start, dependencies, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertEquals(List.of(), cycle, "a cycle between the XMPP sub-packages");
        }
    }

    /** A path of dependencies from {@code at} back to {@code start}, or an empty list when there is none. */
    private static List<String> cycleThrough(String start, String at, Map<String, Set<String>> dependencies, List<String> path,
                                             Set<String> seen) {
        for (String next : dependencies.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> cycle = cycleThrough(start, next, dependencies, path, seen);
                if (!cycle.isEmpty()) {
                    return cycle;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
    }

    private static Set<String> subPackagesUsedBy(Path file) {
        try {
            Set<String> subPackages = new TreeSet<>();
            Matcher matcher = SUB_PACKAGE.matcher(Files.readString(file));
            while (matcher.find()) {
                subPackages.add(matcher.group(1));
            }
            return subPackages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
