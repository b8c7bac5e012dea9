package dev.capsule.server.platform.internal;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** The ports the server really listens on (known once the web server has started; 0 picks a free one). */
@Component
public class ServerPorts implements ApplicationListener<WebServerInitializedEvent> {
    private final HttpRedirectConnector httpConnector;
    private volatile int https = -1;

    ServerPorts(HttpRedirectConnector httpConnector) {
        this.httpConnector = httpConnector;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        https = event.getWebServer().getPort();
    }

    /** The HTTPS port, or -1 before the server has started. */
    public int https() {
        return https;
    }

    /** The plain-HTTP (redirecting) port, or -1 when there is none or before the server has started. */
    public int http() {
        return httpConnector.localPort();
    }
}
