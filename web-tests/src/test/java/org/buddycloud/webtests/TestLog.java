package org.buddycloud.webtests;

import java.util.logging.Handler;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The test JVM's log, one line per message into the Maven output (the SDK's output among it). It needs setting up
 * here: test-support brings Quarkus's bootstrap onto the class path, whose log configurator ignores logging.properties
 * and holds every message back for a Quarkus application that never starts in this JVM. The services log to
 * target/&lt;service&gt;-for-tests.log instead.
 */
final class TestLog {

    /** The in-process broker's and the embedded PostgreSQL's start-up chatter. */
    private static final String[] QUIET = {"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"};
    /**
     * The broker's warnings of every run, nothing amiss: at its start that its metadata log is new ("appears to be
     * empty"), at its stop that a client of its own was already closed.
     */
    private static final String[] EVERY_RUN = {"org.apache.kafka.controller.QuorumController", "org.apache.kafka.clients.NetworkClient"};

    static {
        Logger root = LogContext.getLogContext().getLogger("");
        ConsoleHandler console = new ConsoleHandler(new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1}] %s%e%n"));
        console.setLevel(Level.INFO);
        console.setAutoFlush(true);
        root.setHandlers(new Handler[] {console});
        root.setLevel(Level.INFO);
        for (String name : QUIET) {
            LogContext.getLogContext().getLogger(name).setLevel(Level.WARNING);
        }
        for (String name : EVERY_RUN) {
            LogContext.getLogContext().getLogger(name).setLevel(Level.SEVERE);
        }
    }

    private TestLog() {
    }

    /** The logger of {@code type}, once the console is set up. */
    static System.Logger logger(Class<?> type) {
        return System.getLogger(type.getName());
    }
}
