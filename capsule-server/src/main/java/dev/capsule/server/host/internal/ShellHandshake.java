package dev.capsule.server.host.internal;

import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.registry.MiniProgramId;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The checks of the shell WebSocket's handshake (a GET through the server's one security chain, which has
 * authenticated the shell session cookie): the caller is a shell user, the {@code Origin} is this server's own origin,
 * the path names a mini-program id and {@code resume}, when given, a hosted session id.
 *
 * <p>Security guarantees: a handshake without a shell principal, or from another origin (or none: every browser
 * sends one), is answered 403, which the access module's denial filter audits; a socket is never opened for it. A
 * malformed app id or resume id is 400. The origin comparison is exact (scheme, host, port), never a prefix.
 */
final class ShellHandshake implements HandshakeInterceptor {
    static final String PATH_PREFIX = "/shell/ws/";
    static final String PRINCIPAL_ATTRIBUTE = ShellHandshake.class.getName() + ".principal";
    static final String APP_ATTRIBUTE = ShellHandshake.class.getName() + ".app";
    static final String RESUME_ATTRIBUTE = ShellHandshake.class.getName() + ".resume";

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        Optional<ShellPrincipal> who = ShellAuthentication.principalOf(request.getPrincipal());
        if (who.isEmpty() || !sameOrigin(request)) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        String path = request.getURI().getRawPath();
        Optional<MiniProgramId> app = path.startsWith(PATH_PREFIX) ? MiniProgramId.parse(path.substring(PATH_PREFIX.length()))
                : Optional.empty();
        var query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams();
        String resume = query.getFirst("resume");
        if (app.isEmpty() || query.size() > 1 || (query.size() == 1 && resume == null) || (resume != null && !resume.matches("[0-9a-f]{32}"))) {
            response.setStatusCode(HttpStatus.BAD_REQUEST);
            return false;
        }
        attributes.put(PRINCIPAL_ATTRIBUTE, who.get());
        attributes.put(APP_ATTRIBUTE, app.get());
        if (resume != null) {
            attributes.put(RESUME_ATTRIBUTE, new HostedSessionId(resume));
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception failure) {
    }

    /** The Origin header is exactly this request's own scheme, host and port (the browser's page is the shell's). */
    static boolean sameOrigin(ServerHttpRequest request) {
        String origin = request.getHeaders().getOrigin();
        if (origin == null) {
            return false;
        }
        URI own = request.getURI();
        URI given;
        try {
            given = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (given.getScheme() == null || given.getHost() == null || given.getRawPath() != null && !given.getRawPath().isEmpty()
                || given.getRawUserInfo() != null || given.getRawQuery() != null) {
            return false;
        }
        return given.getScheme().toLowerCase(Locale.ROOT).equals(own.getScheme().toLowerCase(Locale.ROOT))
                && given.getHost().toLowerCase(Locale.ROOT).equals(own.getHost().toLowerCase(Locale.ROOT))
                && port(given) == port(own);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> 443;
            case "http", "ws" -> 80;
            default -> -1;
        };
    }
}
