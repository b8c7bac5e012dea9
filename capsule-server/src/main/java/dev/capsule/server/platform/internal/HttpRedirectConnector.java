package dev.capsule.server.platform.internal;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The plain-HTTP connector. Every request that arrives on it is answered with a redirect to HTTPS
 * by {@link HttpsRedirectFilter}; nothing else is served over HTTP.
 */
@Component
class HttpRedirectConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final Connector connector;

    HttpRedirectConnector(CapsuleSettings settings) {
        connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setScheme("http");
        connector.setSecure(false);
        connector.setPort(settings.httpPort());
        // A redirect never reads a body: refuse to buffer form posts on this port.
        connector.setMaxPostSize(0);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalConnectors(connector);
    }

    int localPort() {
        return connector.getLocalPort();
    }
}
