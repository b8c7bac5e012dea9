package dev.capsule.runtime.net;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * TLS for every connection, set explicitly rather than left to library or JVM defaults: TLS 1.3
 * or 1.2 only; the certificate chain verified by the context's trust managers; the JDK's HTTPS
 * endpoint identification (RFC 2818/6125) against the URL's host name, and the HTTP library's
 * hostname verifier as a second, independent check; SNI set to that name. The handshake runs
 * under the socket timeout the connection operator sets from the TLS handshake timeout.
 */
final class StrictTlsStrategy implements TlsSocketStrategy {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Set<String> ACCEPTED_PROTOCOLS = Set.of(PROTOCOLS);

    private final SSLContext sslContext;
    private final DefaultHostnameVerifier hostnameVerifier = new DefaultHostnameVerifier();

    StrictTlsStrategy(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context) throws IOException {
        SSLSocket tls = (SSLSocket) sslContext.getSocketFactory().createSocket(socket, target, port, true);
        try {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(target)));
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            if (!ACCEPTED_PROTOCOLS.contains(tls.getSession().getProtocol())) {
                throw new SSLHandshakeException("negotiated " + tls.getSession().getProtocol());
            }
            if (!hostnameVerifier.verify(target, tls.getSession())) {
                throw new SSLPeerUnverifiedException("certificate does not match the host name");
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }
}
