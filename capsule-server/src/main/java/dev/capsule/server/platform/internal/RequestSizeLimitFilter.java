package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.LargeRequestBody;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits every request body to {@link #REQUEST_BYTES_MAX}, or to the limit a module declared for that exact
 * method and path ({@link LargeRequestBody}). A declared Content-Length over the limit
 * is answered 413 before anything is read; a body without one (chunked) is counted as it is read and
 * reading fails with {@link RequestTooLargeException} at the first byte past the limit, which the
 * error handling turns into the same 413.
 */
final class RequestSizeLimitFilter extends OncePerRequestFilter {
    /** The largest request body the server reads: 1 MiB. */
    static final long REQUEST_BYTES_MAX = 1024 * 1024;

    /** The request attribute holding the limit that applies to the request (a Long), for the 413's detail. */
    static final String LIMIT_ATTRIBUTE = RequestSizeLimitFilter.class.getName() + ".limit";

    private final Problems problems;
    private final Map<String, Long> raised;

    RequestSizeLimitFilter(Problems problems, List<LargeRequestBody> raised) {
        this.problems = problems;
        this.raised = raised.stream().collect(Collectors.toUnmodifiableMap(r -> r.method() + " " + r.path(),
                LargeRequestBody::bytesMax));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = raised.getOrDefault(request.getMethod() + " " + request.getRequestURI(), REQUEST_BYTES_MAX);
        request.setAttribute(LIMIT_ATTRIBUTE, limit);
        if (request.getContentLengthLong() > limit) {
            problems.write(response, Problems.of(ProblemType.REQUEST_TOO_LARGE, tooLargeDetail(request), request));
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    static String tooLargeDetail(HttpServletRequest request) {
        Object limit = request == null ? null : request.getAttribute(LIMIT_ATTRIBUTE);
        return "request bodies are limited to " + (limit instanceof Long bytes ? bytes : REQUEST_BYTES_MAX) + " bytes"
                + (limit instanceof Long bytes && bytes != REQUEST_BYTES_MAX ? " on this path" : "");
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(new LimitedInputStream(super.getInputStream(), limit), charset));
            }
            return reader;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws RequestTooLargeException {
            count += n;
            if (count > limit) {
                throw new RequestTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
