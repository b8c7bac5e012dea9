package dev.capsule.runtime.net;

import dev.capsule.core.text.SafeText;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a request produced: a response from the server, whatever its status, or a failure. */
public sealed interface HttpOutcome {

    /**
     * A complete HTTP response. Header names are lower case (HTTP/2 style), in the order the server
     * first sent them, each with its values in order. The body is at most the client's
     * {@link NetLimits#responseBodyBytesMax()}; gzip and deflate content encodings are already decoded.
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body) implements HttpOutcome {
        public Response {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status must be a three-digit HTTP status code");
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
            body = body.clone();
        }

        /** A copy of the body, so that no holder of this response can change it for another. */
        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Response that
                    && status == that.status
                    && headers.equals(that.headers)
                    && Arrays.equals(body, that.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, headers, Arrays.hashCode(body));
        }

        @Override
        public String toString() {
            return "Response[status=" + status + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes]";
        }
    }

    /**
     * No response. The message is one line, escaped with {@link SafeText#escape}, and safe to show
     * to the mini-program: it names the host or limit involved, never an internal address or a
     * stack trace.
     */
    record Failure(FailureKind kind, String message) implements HttpOutcome {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            message = SafeText.escape(message);
        }
    }
}
