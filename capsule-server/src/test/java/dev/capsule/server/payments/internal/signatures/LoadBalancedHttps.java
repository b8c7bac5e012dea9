package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TwoNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * Sends one HTTP/1.1 request over TLS to a node, with the {@code Host} of the public name every node sits behind
 * (as a load balancer forwards it). Java's HttpClient will not set {@code Host}, hence a plain socket.
 */
final class LoadBalancedHttps {
    /** The public name of the deployment, the authority merchants sign. */
    static final URI PUBLIC_ECHO = URI.create("https://pay.example.test/merchant/v1/test/echo");

    record Response(int status, String body) {
    }

    private LoadBalancedHttps() {
    }

    /** Sends {@code request} (its method, path, headers and string content) to {@code node}. */
    static Response send(TwoNodes.Node node, HttpRequest request, String content) {
        int port = node.context().getBean(ServerPorts.class).https();
        var ssl = TestHttps.trusting(node.context().getBean(ServerCertificate.class).certificatePem());
        byte[] body = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.uri().getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(request.uri().getHost()).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        request.headers().map().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String head = text.substring(0, split);
        String body = text.substring(split + 4);
        int status = Integer.parseInt(head.substring(9, 12));
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
        return new Response(status, body);
    }

    private static String dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int size = Integer.parseInt(line.toString().split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(in.readNBytes(size));
            in.read();
            in.read();
        }
    }
}
