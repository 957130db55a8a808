package org.buddycloud.localstack;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one piece of local infrastructure in the foreground until SIGTERM, for {@code ./buddycloud up}:
 * <pre>
 *   Launch kafka    --port 9092 --controller-port 9093 --data DIR
 *   Launch postgres --port 15432 --data DIR --binaries DIR --databases a,b,c
 * </pre>
 * Prints one {@code READY ...} line on stdout once clients can connect; the stack script waits for it.
 */
public final class Launch {

    private Launch() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            usage();
            return;
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        long started = System.nanoTime();
        AutoCloseable component;
        String address;
        switch (args[0]) {
            case "kafka" -> {
                KafkaNode kafka = KafkaNode.start(Path.of(required(options, "data")),
                        Integer.parseInt(options.getOrDefault("port", "9092")),
                        Integer.parseInt(options.getOrDefault("controller-port", "9093")));
                component = kafka;
                address = kafka.bootstrapServers();
            }
            case "postgres" -> {
                PostgresNode postgres = PostgresNode.start(Path.of(required(options, "data")),
                        Path.of(required(options, "binaries")), Integer.parseInt(options.getOrDefault("port", "15432")));
                postgres.ensureDatabases(List.of(options.getOrDefault("databases", "").split(",")).stream()
                        .filter(s -> !s.isBlank()).toList());
                component = postgres;
                address = postgres.jdbcUrl("postgres");
            }
            default -> {
                usage();
                return;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                component.close();
            } catch (Exception e) {
                System.err.println("error while stopping " + args[0] + ": " + e);
            }
            stopped.countDown();
        }, "stop-" + args[0]));
        System.out.println("READY " + args[0] + " " + address + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private static void usage() {
        System.err.println("usage: Launch kafka --data DIR [--port 9092] [--controller-port 9093]\n"
                + "       Launch postgres --data DIR --binaries DIR [--port 15432] [--databases a,b]");
        System.exit(2);
    }
}
