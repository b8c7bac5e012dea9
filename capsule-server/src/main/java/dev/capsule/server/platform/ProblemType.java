package dev.capsule.server.platform;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * A stable RFC 9457 problem type: clients switch on {@link #uri()}, which never changes once published.
 * The platform's own types are the constants below; other modules declare theirs the same way, under
 * the same base URI. The list is in docs/server.md.
 *
 * @param slug   the last segment of the type URI: lower-case words joined by hyphens
 * @param status the HTTP status this problem is sent with
 * @param title  a short human summary that does not change from one occurrence to the next
 */
public record ProblemType(String slug, HttpStatus status, String title) {
    /**
     * The request attribute that holds the type of the problem a request was answered with (set wherever a
     * problem is built), so the access module can record why a request was denied.
     */
    public static final String REQUEST_ATTRIBUTE = ProblemType.class.getName();

    /** Every Capsule problem type URI starts with this. */
    public static final String BASE_URI = "https://capsule.dev/problems/";

    private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public static final ProblemType VALIDATION =
            new ProblemType("validation", HttpStatus.BAD_REQUEST, "The request has invalid fields");
    public static final ProblemType MALFORMED_REQUEST =
            new ProblemType("malformed-request", HttpStatus.BAD_REQUEST, "The request could not be read");
    public static final ProblemType UNKNOWN_FIELD =
            new ProblemType("unknown-field", HttpStatus.BAD_REQUEST, "The request has a field this API does not know");
    public static final ProblemType UNAUTHENTICATED =
            new ProblemType("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication is required");
    public static final ProblemType FORBIDDEN =
            new ProblemType("forbidden", HttpStatus.FORBIDDEN, "Not allowed");
    public static final ProblemType NOT_FOUND =
            new ProblemType("not-found", HttpStatus.NOT_FOUND, "Not found");
    public static final ProblemType METHOD_NOT_ALLOWED =
            new ProblemType("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE =
            new ProblemType("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No acceptable representation");
    public static final ProblemType REQUEST_TOO_LARGE =
            new ProblemType("request-too-large", HttpStatus.CONTENT_TOO_LARGE, "The request body is too large");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            new ProblemType("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type");
    /** Any other 4xx the framework produces (a missing parameter, a conflict it detects, ...). */
    public static final ProblemType REQUEST_REJECTED =
            new ProblemType("request-rejected", HttpStatus.BAD_REQUEST, "The request was rejected");
    /** A request that would place a region's data in another region's database, or names a region not configured. */
    public static final ProblemType RESIDENCY =
            new ProblemType("residency", HttpStatus.CONFLICT, "Refused by data residency");
    public static final ProblemType INTERNAL_ERROR =
            new ProblemType("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    public ProblemType {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(title, "title");
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("problem slug must be lower-case words joined by hyphens: " + slug);
        }
        if (!status.isError()) {
            throw new IllegalArgumentException("a problem needs an error status, not " + status.value());
        }
    }

    public URI uri() {
        return URI.create(BASE_URI + slug);
    }
}
