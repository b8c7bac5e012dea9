package dev.capsule.runtime.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one HTTP/1.1 request over one new connection to addresses Capsule has already checked,
 * using Apache HttpClient 5 (classic, blocking) for HTTP itself: message framing, chunked coding,
 * content decoding and header parsing are the library's, not ours.
 *
 * <p>Why a fresh client and connection manager for every hop: the library asks its
 * {@link org.apache.hc.client5.http.DnsResolver} for addresses with no per-request context, so a
 * resolver shared by concurrent requests could not know which checked answer belongs to which
 * request. A per-hop {@link PinnedDnsResolver} knows exactly one name and its checked addresses.
 * The price is no connection reuse between requests (one TCP and TLS handshake each; TLS sessions
 * are still resumed through the shared SSLContext), which is small next to a mini-program's ten
 * requests in flight.
 *
 * <p>Everything the library would otherwise do on its own is switched off: redirects (Capsule
 * follows them itself, re-checking each), retries (a retry could resend a POST and spends the
 * deadline), cookies and authentication (no ambient credentials), HTTP and SOCKS proxies from
 * system properties (the checked address must be the one connected to), Expect: 100-continue and
 * protocol upgrades.
 */
final class HopExecutor {
    private static final String SCHEME = "https";
    private static final ManagedHttpClientConnectionFactory CONNECTIONS = ManagedHttpClientConnectionFactory.builder()
            .http1Config(Http1Config.custom()
                    .setMaxHeaderCount(NetLimits.RESPONSE_HEADERS_MAX)
                    .setMaxLineLength(NetLimits.RESPONSE_HEADER_LINE_CHARS_MAX)
                    .build())
            .build();

    /**
     * Plain {@code new Socket()} would consult the JVM-wide SOCKS settings ({@code socksProxyHost},
     * the default ProxySelector); NO_PROXY makes the TCP connection go to the checked address itself.
     * (The library marks this factory interface internal; it is the only hook for it.)
     */
    private static final DetachedSocketFactory DIRECT_SOCKETS = socksProxy -> new Socket(Proxy.NO_PROXY);

    private final TlsSocketStrategy tls;
    private final IntUnaryOperator connectPort;
    private final int responseBodyBytesMax;

    HopExecutor(TlsSocketStrategy tls, IntUnaryOperator connectPort, int responseBodyBytesMax) {
        this.tls = tls;
        this.connectPort = connectPort;
        this.responseBodyBytesMax = responseBodyBytesMax;
    }

    HopResult execute(HopRequest hop, List<InetAddress> addresses, Deadline deadline) throws RequestRefused {
        TargetUrl target = hop.target();
        long remainingMillis = deadline.remainingMillis();
        if (remainingMillis == 0) {
            throw new RequestRefused(FailureKind.TIMEOUT, "request to " + target.host() + " timed out");
        }
        CloseableHttpClient http = client(target, addresses, remainingMillis);
        HttpUriRequestBase request = new HttpUriRequestBase(hop.method(), target.uri());
        hop.headers().forEach(h -> request.addHeader(h.name(), h.value()));
        if (hop.body().length > 0 || hop.method().equals("POST") || hop.method().equals("PUT")) {
            // Known length, so the library frames it with Content-Length; the content type (if any)
            // is the mini-program's own Content-Type header.
            request.setEntity(new ByteArrayEntity(hop.body(), null));
        }
        deadline.attach(request);
        try {
            ClassicHttpResponse response = http.executeOpen(new HttpHost(SCHEME, target.host(), target.port()), request, HttpClientContext.create());
            try {
                return read(response, target);
            } finally {
                // The connection is never reused, so it is always discarded: closing the response
                // without this would drain an unread (redirect or oversized) body to the end.
                request.cancel();
                closeQuietly(response);
            }
        } catch (IOException e) {
            throw failureFor(e, target, deadline);
        } finally {
            deadline.detach(request);
            http.close(CloseMode.IMMEDIATE);
        }
    }

    private CloseableHttpClient client(TargetUrl target, List<InetAddress> addresses, long remainingMillis) {
        Timeout total = Timeout.ofMilliseconds(remainingMillis);
        BasicHttpClientConnectionManager connections = new BasicHttpClientConnectionManager(
                new DefaultHttpClientConnectionOperator(
                        DIRECT_SOCKETS,
                        DefaultSchemePortResolver.INSTANCE,
                        new PinnedDnsResolver(target.host(), addresses, connectPort.applyAsInt(target.port())),
                        RegistryBuilder.<TlsSocketStrategy>create().register(SCHEME, tls).build()),
                CONNECTIONS);
        connections.setSocketConfig(SocketConfig.custom().setSoTimeout(total).build());
        connections.setConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(Math.min(NetLimits.CONNECT_TIMEOUT_MILLIS, remainingMillis)))
                .setSocketTimeout(total)
                .build());
        connections.setTlsConfig(TlsConfig.custom()
                .setHandshakeTimeout(Timeout.ofMilliseconds(Math.min(NetLimits.TLS_HANDSHAKE_TIMEOUT_MILLIS, remainingMillis)))
                .build());
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .setUserAgent(GuardedHttpClient.USER_AGENT)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(total)
                        .setResponseTimeout(total)
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setExpectContinueEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .build())
                .build();
    }

    private HopResult read(ClassicHttpResponse response, TargetUrl target) throws IOException, RequestRefused {
        int status = response.getCode();
        if (HopRequest.isFollowedRedirect(status)) {
            Header[] locations = response.getHeaders(HttpHeaders.LOCATION);
            if (locations.length > 1) {
                throw new RequestRefused(FailureKind.BAD_RESPONSE, target.host() + " sent a redirect with several Location headers");
            }
            if (locations.length == 1) {
                return new HopResult.Redirect(status, locations[0].getValue());
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>()).add(header.getValue());
        }
        HttpEntity entity = response.getEntity();
        byte[] body = entity == null
                ? new byte[0]
                : BoundedBody.read(entity.getContent(), entity.getContentLength(), responseBodyBytesMax, target.host());
        return new HopResult.Done(new HttpOutcome.Response(status, headers, body));
    }

    /** A one-line failure naming the host and what went wrong, never the library's message (it names addresses). */
    static RequestRefused failureFor(IOException e, TargetUrl target, Deadline deadline) {
        String host = target.host();
        if (deadline.abortedAs() == FailureKind.UNAVAILABLE) {
            return new RequestRefused(FailureKind.UNAVAILABLE, "the network client was closed");
        }
        if (deadline.abortedAs() == FailureKind.TIMEOUT || deadline.passed() || e instanceof InterruptedIOException) {
            return new RequestRefused(FailureKind.TIMEOUT, "request to " + host + " timed out");
        }
        if (e instanceof SSLException) {
            return new RequestRefused(FailureKind.TLS_FAILED, isCertificateProblem(e)
                    ? "TLS with " + host + " failed: its certificate is not trusted or is not valid for " + host
                    : "TLS with " + host + " failed: no secure connection (TLS 1.2 or later) could be agreed");
        }
        if (e instanceof ConnectException) {
            return new RequestRefused(FailureKind.CONNECTION_FAILED, "could not connect to " + host);
        }
        if (e instanceof ClientProtocolException || e instanceof MessageConstraintException
                || e instanceof MalformedChunkCodingException || e instanceof NoHttpResponseException
                || e instanceof ConnectionClosedException) {
            return new RequestRefused(FailureKind.BAD_RESPONSE, host + " sent an invalid or incomplete HTTP response");
        }
        return new RequestRefused(FailureKind.CONNECTION_FAILED, "connection to " + host + " failed");
    }

    private static boolean isCertificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // The connection is being discarded anyway; nothing the guest needs to know.
        }
    }
}
