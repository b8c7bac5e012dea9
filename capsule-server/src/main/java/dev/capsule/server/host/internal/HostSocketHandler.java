package dev.capsule.server.host.internal;

import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.registry.MiniProgramId;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The shell's WebSocket, {@code /shell/ws/{appId}} (optional {@code ?resume=<hostedSessionId>}): one per open
 * mini-program. {@link ShellHandshake} has checked the shell principal, the origin and the parameters; this handler
 * starts a session (or attaches the socket to the session it resumes) and passes each text frame to it.
 *
 * <p>Security guarantees: frames larger than {@code capsule.host.message-bytes-max} close the socket (1009, the
 * container's limit); binary frames close it (1003); a browser that does not read its frames is disconnected (the
 * send buffer is bounded) and its session waits for a resume; a resume of a session that is not this user's and app's
 * is answered {@code ended} exactly as one that never existed.
 */
final class HostSocketHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(HostSocketHandler.class);
    /** Close codes (RFC 6455): normal; the host's own for "another connection took over this session". */
    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_REPLACED = 4000;
    /** How long one frame may take to send before the browser is disconnected. */
    static final int SEND_MILLIS_MAX = 10_000;
    /** Frames waiting for a slow browser, in bytes, before it is disconnected. */
    static final int SEND_BUFFER_BYTES_MAX = 4 << 20;
    static final String SESSION_ATTRIBUTE = HostSocketHandler.class.getName() + ".session";
    static final String LINK_ATTRIBUTE = HostSocketHandler.class.getName() + ".link";

    private final SessionHost host;

    HostSocketHandler(SessionHost host) {
        this.host = host;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        ShellPrincipal who = (ShellPrincipal) socket.getAttributes().get(ShellHandshake.PRINCIPAL_ATTRIBUTE);
        MiniProgramId app = (MiniProgramId) socket.getAttributes().get(ShellHandshake.APP_ATTRIBUTE);
        HostedSessionId resume = (HostedSessionId) socket.getAttributes().get(ShellHandshake.RESUME_ATTRIBUTE);
        Link link = new Link(new ConcurrentWebSocketSessionDecorator(socket, SEND_MILLIS_MAX, SEND_BUFFER_BYTES_MAX,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE));
        socket.getAttributes().put(LINK_ATTRIBUTE, link);
        if (resume != null) {
            Optional<HostedSession> resumed = host.resumable(who, app, resume);
            if (resumed.isEmpty()) {
                link.send(Wire.ended("This session has ended; open the mini-program again."));
                link.close(CLOSE_NORMAL, "ended");
                return;
            }
            socket.getAttributes().put(SESSION_ATTRIBUTE, resumed.get());
            resumed.get().attach(link, who.demo(), System.nanoTime());
            return;
        }
        // A launch may take a while (a worker start): off the container's thread.
        Thread.ofVirtual().name("capsule-host-start").start(() -> {
            try {
                HostedSession started = host.start(who, app, link);
                socket.getAttributes().put(SESSION_ATTRIBUTE, started);
                if (!link.isOpen()) {
                    started.detach(link, System.nanoTime()); // the browser left during the launch; it may still resume
                }
            } catch (SessionHost.Refused e) {
                link.send(Wire.ended(e.getMessage()));
                link.close(CLOSE_NORMAL, "refused");
            }
        });
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        HostedSession session = (HostedSession) socket.getAttributes().get(SESSION_ATTRIBUTE);
        Link link = (Link) socket.getAttributes().get(LINK_ATTRIBUTE);
        if (session == null || !session.linked(link)) {
            link.send(Wire.refused("the mini-program is not running on this connection"));
            return;
        }
        host.receive(session, message.getPayload());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        HostedSession session = (HostedSession) socket.getAttributes().get(SESSION_ATTRIBUTE);
        Link link = (Link) socket.getAttributes().get(LINK_ATTRIBUTE);
        if (session != null && link != null) {
            session.detach(link, System.nanoTime());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable failure) {
        log.debug("shell socket transport error: {}", failure.getClass().getSimpleName());
    }

    /** A browser link over one Spring WebSocket session (sends serialized and bounded by the decorator). */
    static final class Link implements BrowserLink {
        private final WebSocketSession socket;

        Link(WebSocketSession socket) {
            this.socket = socket;
        }

        @Override
        public void send(String frame) {
            if (!socket.isOpen()) {
                return;
            }
            try {
                socket.sendMessage(new TextMessage(frame));
            } catch (IOException | IllegalStateException e) {
                // The browser is gone or too slow (the decorator closed it): the session waits for a resume.
                log.debug("shell socket send failed: {}", e.getClass().getSimpleName());
            }
        }

        @Override
        public void close(int code, String reason) {
            try {
                socket.close(new CloseStatus(code, reason));
            } catch (IOException | IllegalStateException e) {
                log.debug("shell socket close failed: {}", e.getClass().getSimpleName());
            }
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }
    }
}
