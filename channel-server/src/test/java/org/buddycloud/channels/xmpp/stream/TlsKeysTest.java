package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeysTest {

    private static final List<String> NAMES = List.of("example.org", "channels.example.org");

    @TempDir
    Path dir;

    @Test
    void replicasCreatingTheKeyStoreAtOnceShareOneReadableStoreAndLeaveNoTemporaryFiles() throws Exception {
        Path store = dir.resolve("tls").resolve("xmpp.p12");
        int replicas = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService starting = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                started.add(starting.submit(() -> {
                    go.await();
                    return TlsKeys.load(store, "secret", true, NAMES);
                }));
            }
            go.countDown();
            for (Future<?> replica : started) {
                replica.get();
            }
        } finally {
            starting.shutdownNow();
        }

        X509Certificate certificate = TlsKeys.certificate(store, "secret");
        assertEquals("CN=example.org", certificate.getSubjectX500Principal().getName());
        try (Stream<Path> files = Files.list(store.getParent())) {
            assertEquals(List.of(store), files.toList(), "only the key store is left in its folder");
        }
    }

    @Test
    void anExistingKeyStoreIsKept() throws Exception {
        Path store = dir.resolve("xmpp.p12");
        TlsKeys.load(store, "secret", true, NAMES);
        X509Certificate first = TlsKeys.certificate(store, "secret");

        TlsKeys.load(store, "secret", true, NAMES);

        assertEquals(first, TlsKeys.certificate(store, "secret"));
    }
}
