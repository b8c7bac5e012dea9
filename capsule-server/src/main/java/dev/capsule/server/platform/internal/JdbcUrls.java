package dev.capsule.server.platform.internal;

/** Printing JDBC URLs without the secrets they may carry. */
final class JdbcUrls {
    private JdbcUrls() {
    }

    /**
     * The URL up to its parameters ({@code jdbc:postgresql://host:5432/db}); parameters such as
     * {@code password=} and any {@code user:password@} part are dropped.
     */
    static String redact(String url) {
        if (url == null || url.isBlank()) {
            return "none";
        }
        String withoutQuery = url.split("[?;]", 2)[0];
        int scheme = withoutQuery.indexOf("//");
        int at = withoutQuery.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            withoutQuery = withoutQuery.substring(0, scheme + 2) + withoutQuery.substring(at + 1);
        }
        return withoutQuery;
    }
}
