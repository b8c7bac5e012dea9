package dev.capsule.server.platform.internal;

import java.util.Optional;
import java.util.OptionalInt;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The plain-HTTP connector, when {@link CapsuleSettings#redirectPort} gives a port. Every request that
 * arrives on it is answered with a redirect to HTTPS by {@link HttpsRedirectFilter}; nothing else is
 * served over HTTP.
 */
@Component
class HttpRedirectConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final Optional<Connector> connector;

    HttpRedirectConnector(CapsuleSettings settings, @Value("${server.port:8443}") int httpsPort) {
        OptionalInt port = settings.redirectPort(httpsPort);
        if (port.isEmpty()) {
            connector = Optional.empty();
            return;
        }
        Connector http = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        http.setScheme("http");
        http.setSecure(false);
        http.setPort(port.getAsInt());
        // A redirect never reads a body: refuse to buffer form posts on this port.
        http.setMaxPostSize(0);
        connector = Optional.of(http);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        connector.ifPresent(factory::addAdditionalConnectors);
    }

    /** The port it listens on; -1 when there is no redirect port (or before the server has started). */
    int localPort() {
        return connector.map(Connector::getLocalPort).orElse(-1);
    }
}
