package dev.capsule.server.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers every plain-HTTP request with a redirect to the same path and query on the HTTPS port:
 * 301 for GET and HEAD, 308 (method kept) for the rest. Nothing is served over HTTP.
 */
final class HttpsRedirectFilter extends OncePerRequestFilter {
    private final ServerPorts ports;

    HttpsRedirectFilter(ServerPorts ports) {
        this.ports = ports;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.isSecure()) {
            chain.doFilter(request, response);
            return;
        }
        String method = request.getMethod();
        boolean safe = "GET".equals(method) || "HEAD".equals(method);
        response.setStatus(safe ? HttpStatus.MOVED_PERMANENTLY.value() : HttpStatus.PERMANENT_REDIRECT.value());
        response.setHeader("Location", location(request));
        response.setContentLength(0);
        response.flushBuffer();
    }

    private String location(HttpServletRequest request) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = ports.https();
        StringBuilder location = new StringBuilder("https://").append(host);
        if (port != 443) {
            location.append(':').append(port);
        }
        location.append(request.getRequestURI());
        if (request.getQueryString() != null) {
            location.append('?').append(request.getQueryString());
        }
        return location.toString();
    }
}
