package dev.capsule.runtime.net;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local WSS server (Jetty) on 127.0.0.1 with {@link TestNetwork}'s certificate. Path {@code /echo}
 * echoes text and binary messages; the text {@code big:N} answers N bytes of text; {@code flood:N}
 * answers N small messages; {@code close} closes with 4000 "bye". Records each upgrade's headers.
 */
public final class TestSocketServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final List<Map<String, List<String>>> upgrades = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    TestSocketServer(SSLContext serverTls) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setDaemon(true);
        threads.setName("test-wss");
        server = new Server(threads);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(serverTls);
        connector = new ServerConnector(server, tls);
        connector.setHost(TestNetwork.SERVER_ADDRESS.getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(4 * 1024 * 1024);
            container.setMaxBinaryMessageSize(4 * 1024 * 1024);
            container.setMaxFrameSize(4 * 1024 * 1024);
            container.addMapping("/echo", (request, response, callback) -> {
                upgrades.add(request.getHeaders().getFieldNamesCollection().stream()
                        .collect(java.util.stream.Collectors.toMap(n -> n.toLowerCase(java.util.Locale.ROOT), n -> request.getHeaders().getValuesList(n), (a, b) -> a)));
                return new Echo();
            });
        }));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Headers of each upgrade request, names lower case. */
    public List<Map<String, List<String>>> upgrades() {
        return List.copyOf(upgrades);
    }

    /** Text messages the server received (binary ones as "binary:<length>"). */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // test teardown
        }
    }

    /** Public: Jetty calls endpoints through method handles. */
    public final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
            if (message.startsWith("big:")) {
                session.sendText("x".repeat(Integer.parseInt(message.substring(4))), Callback.NOOP);
            } else if (message.startsWith("flood:")) {
                int n = Integer.parseInt(message.substring(6));
                for (int i = 0; i < n; i++) {
                    session.sendText("m" + i, Callback.NOOP);
                }
            } else if (message.equals("close")) {
                session.close(4000, "bye", Callback.NOOP);
            } else {
                session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            received.add("binary:" + payload.remaining());
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
            copy.put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }
    }
}
