package org.buddycloud.channels.xmpp.s2s;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.stream.InboundBudget;
import org.buddycloud.channels.xmpp.stream.InputControl;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.s2s.S2sNamespaces;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * What both ends of a server-to-server connection share: input parsed in order on a serial executor within the
 * limits of {@link S2sConfig} (stanza size and depth, reading paused while too much input waits), stream headers with
 * the dialback prefix, stream errors, and one close however the connection ends.
 */
abstract class S2sConnection implements StreamParser.Listener, InputControl {

    private static final Logger LOG = Logger.getLogger(S2sConnection.class);
    /** Unhandled input chunks after which the connection is no longer read until the stream catches up. */
    private static final int MAX_PENDING_CHUNKS = 32;

    protected final NetSocket socket;
    protected final Context eventLoop;
    protected final SerialExecutor executor;
    protected final StreamParser parser;
    private final InboundBudget inbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean headerSent;
    /**
     * How many times TLS was put in place, counted on the event loop when the TLS handler is installed: each chunk of
     * input carries the count it was read under, so that bytes a peer sent in the clear after STARTTLS, read before the
     * handler took over, are refused instead of being parsed as the encrypted stream (RFC 6120 §5.3.3).
     */
    private volatile int tlsUpgrades;
    /** The TLS count the stream expects its input under: raised when STARTTLS is agreed. */
    private int expectedUpgrades;

    S2sConnection(NetSocket socket, Context eventLoop, Executor pool, S2sConfig config) {
        this.socket = socket;
        this.eventLoop = eventLoop;
        this.executor = new SerialExecutor(pool);
        this.parser = new StreamParser(this, config.maxStanzaBytes(), config.maxDepth());
        this.inbound = new InboundBudget(this, config.maxStanzaBytes(), MAX_PENDING_CHUNKS);
        socket.setWriteQueueMaxSize(config.maxOutboundBytes());
    }

    /** Starts reading; called once, on the connection's event loop. */
    final void attach() {
        socket.handler(buffer -> onBytes(buffer.getBytes(), tlsUpgrades));
        socket.closeHandler(v -> executor.execute(this::release));
        socket.exceptionHandler(e -> {
            LOG.debugf(e, "s2s connection %s failed", describe());
            socket.close();
        });
    }

    private void onBytes(byte[] bytes, int readUnderUpgrades) {
        inbound.queued(bytes.length);
        executor.execute(() -> {
            try {
                if (closed.get()) {
                    return;
                }
                if (readUnderUpgrades < expectedUpgrades) {
                    throw new XmppStreamException("policy-violation", "data sent in the clear after STARTTLS");
                }
                parser.feed(bytes, 0, bytes.length);
            } catch (XmppStreamException e) {
                streamError(e.condition(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling the input of s2s stream %s failed", describe());
                streamError("internal-server-error", "the server failed to handle your input");
            } finally {
                inbound.handled(bytes.length);
            }
        });
    }

    /**
     * TLS in place of the clear stream, on the stream's executor when STARTTLS was agreed: the parser starts afresh,
     * input still read in the clear is refused, and {@code beforeHandshake} (e.g. our {@code <proceed/>}) is written
     * on the event loop just before the TLS handler is installed. {@code serverName} is null on the accepting side.
     */
    protected final void upgradeToTls(String beforeHandshake, String serverName, java.util.function.Consumer<Throwable> done) {
        parser.restart();
        expectedUpgrades++;
        eventLoop.runOnContext(v -> {
            if (beforeHandshake != null) {
                write(beforeHandshake);
            }
            tlsUpgrades++;
            (serverName == null ? socket.upgradeToSsl() : socket.upgradeToSsl(serverName))
                    .onComplete(result -> executor.execute(() -> done.accept(result.failed() ? result.cause() : null)));
        });
    }

    @Override
    public void pauseInput() {
        eventLoop.runOnContext(v -> socket.pause());
    }

    @Override
    public void resumeInput() {
        eventLoop.runOnContext(v -> socket.resume());
    }

    /**
     * True when the element is the peer's stream error: logged, and the connection closed without an answer (RFC 6120
     * §4.9.1.1: an error ends the stream; answering it with another would loop).
     */
    protected final boolean endedByPeer(XmlElement element) {
        if (!element.is("error", Namespaces.STREAMS)) {
            return false;
        }
        String condition = element.firstElement().map(XmlElement::name).orElse("undefined-condition");
        LOG.infof("s2s stream %s ended by the peer with %s", describe(), condition);
        write("</stream:stream>");
        release();
        socket.close();
        return true;
    }

    @Override
    public void streamClosed() {
        write("</stream:stream>");
        release();
        socket.close();
    }

    /** The stream's header, with the prefix of dialback elements declared (XEP-0220 §2.1). */
    protected final void sendHeader(String from, String to, String id) {
        headerSent = true;
        XmlElement header = XmlElement.of("stream", Namespaces.STREAMS);
        if (from != null) {
            header.attr("from", from);
        }
        if (to != null) {
            header.attr("to", to);
        }
        if (id != null) {
            header.attr("id", id);
        }
        header.attr("version", "1.0");
        write("<?xml version='1.0'?>" + header.openingTag("stream",
                Map.of("", S2sNamespaces.SERVER, "stream", Namespaces.STREAMS, "db", S2sNamespaces.DIALBACK)));
    }

    /** Ends the stream with a stream error, after what was queued before it. */
    final void close(String condition, String text) {
        try {
            executor.execute(() -> streamError(condition, text));
        } catch (RejectedExecutionException stopping) {
            socket.close();
        }
    }

    protected final void streamError(String condition, String text) {
        if (closed.get()) {
            return;
        }
        if (!headerSent) {
            sendOwnHeader();
        }
        write(StanzaReplies.streamError(condition, text) + "</stream:stream>");
        LOG.infof("s2s stream %s ended with %s: %s", describe(), condition, text);
        release();
        socket.close();
    }

    /**
     * Writes to the peer; a peer that does not read what it is sent (more than the outbound bound waits) loses the
     * connection rather than our memory.
     */
    protected final void write(String xml) {
        if (socket.writeQueueFull()) {
            if (!closed.get()) {
                LOG.warnf("closing s2s stream %s: the peer does not read what is sent to it", describe());
                release();
                socket.close();
            }
            return;
        }
        socket.write(Buffer.buffer(xml.getBytes(StandardCharsets.UTF_8)));
    }

    protected final boolean isClosed() {
        return closed.get();
    }

    protected final boolean encrypted() {
        return socket.isSsl();
    }

    protected final String remoteAddress() {
        return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().toString();
    }

    private void release() {
        if (closed.compareAndSet(false, true)) {
            released();
        }
    }

    /** A header for a stream error before any was sent: the side's own. */
    protected abstract void sendOwnHeader();

    /** Called once when the connection ends, however it ends, on the stream's executor or a closing thread. */
    protected abstract void released();

    protected abstract String describe();
}
