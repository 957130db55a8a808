package org.buddycloud.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch folders under the module's target/, removed when the test resource stops. */
public final class TestDirectories {

    private TestDirectories() {
    }

    public static Path create(String prefix) {
        try {
            Path parent = Path.of("target").toAbsolutePath();
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** zonky unpacks its PostgreSQL binaries here once and reuses them in every later run. */
    public static Path postgresBinaries() {
        return Path.of(System.getProperty("java.io.tmpdir"), "buddycloud-postgres-binaries");
    }
}
