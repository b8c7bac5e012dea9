package dev.capsule.runtime.internal;

import dev.capsule.runtime.net.HttpOutcome;
import dev.capsule.runtime.net.HttpRequestSpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * wx.downloadFile and wx.uploadFile over the guarded HTTPS client, against capsule.json's
 * {@code network.downloadFile} and {@code network.uploadFile} lists. A download lands in the
 * session's {@link TempFiles} and the guest gets its {@code wxfile://tmp/…} path; an upload sends a
 * temporary file of the same session (never a package or host file) as {@code multipart/form-data}
 * with {@code name}, {@code formData} and {@code header}. Both are plain async calls: WeChat's
 * DownloadTask/UploadTask ({@code abort}, {@code onProgressUpdate}) are not returned.
 *
 * <p>Security guarantees: the client's guard (https, allowlist, checked and pinned addresses, TLS,
 * redirects, header rules, response cap); at most {@link #IN_FLIGHT_MAX} downloads and as many
 * uploads in flight per session (WeChat's 10 each) and the session's per-minute request limit for
 * each; the temporary area's quotas; an upload's path must be one this session's area handed out.
 * Every refusal is a denial, audited.
 */
final class FileTransferApis {
    /** Downloads (and, separately, uploads) in flight per session, as WeChat. */
    static final int IN_FLIGHT_MAX = 10;
    /** Characters in a multipart field name ({@code name}, a {@code formData} key). */
    static final int FIELD_NAME_CHARS_MAX = 256;
    /** Fields in {@code formData}. */
    static final int FORM_FIELDS_MAX = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg", "image/gif", "gif",
            "image/webp", "webp", "application/json", "json", "text/plain", "txt", "application/pdf", "pdf", "audio/mpeg", "mp3", "video/mp4", "mp4");

    private FileTransferApis() {}

    static ApiOutcome download(ApiContext s, JsonNode args) {
        String url = Json.text(args, "url");
        if (url == null || url.isEmpty()) {
            return ApiOutcome.fail("parameter error: url must be a string");
        }
        if (args.hasNonNull("filePath")) {
            return ApiOutcome.fail("filePath is not supported: downloads stay in the session's temporary area (use tempFilePath)");
        }
        String full = s.tempFiles().refusal(0);
        if (full != null) {
            return ApiOutcome.denied(full);
        }
        String quota = s.downloadQuota().tryStart(System.currentTimeMillis());
        if (quota != null) {
            return ApiOutcome.denied(quota);
        }
        HttpRequestSpec spec = new HttpRequestSpec(url, "GET", NetworkApis.headers(args), new byte[0], timeout(args));
        CompletableFuture<ApiOutcome> result = s.http().send(spec, s.manifest().network().downloadFile(), "network.downloadFile")
                .thenApply(outcome -> switch (outcome) {
                    case HttpOutcome.Response r -> {
                        String path = s.tempFiles().put(r.body(), extension(url, r.headers()));
                        if (path == null) {
                            yield ApiOutcome.denied(s.tempFiles().refusal(r.body().length));
                        }
                        s.audit("wx.downloadFile", "status " + r.status(), NetworkApis.hostOf(url));
                        yield new ApiOutcome.Ok(Json.object().put("tempFilePath", path).put("statusCode", r.status())
                                .put("dataLength", r.body().length));
                    }
                    case HttpOutcome.Failure f -> failure(s, "wx.downloadFile", url, f);
                });
        result.whenComplete((r, e) -> s.downloadQuota().finished());
        return new ApiOutcome.Later(result);
    }

    static ApiOutcome upload(ApiContext s, JsonNode args) {
        String url = Json.text(args, "url");
        String filePath = Json.text(args, "filePath");
        String name = Json.text(args, "name");
        if (url == null || url.isEmpty() || filePath == null || name == null) {
            return ApiOutcome.fail("parameter error: url, filePath and name must be strings");
        }
        byte[] content = filePath.startsWith(TempFiles.PREFIX) ? s.tempFiles().get(filePath) : null;
        if (content == null) {
            return ApiOutcome.denied("filePath is not a temporary file of this session (" + TempFiles.PREFIX + "…)");
        }
        Map<String, String> form = new LinkedHashMap<>();
        if (args.get("formData") instanceof ObjectNode o) {
            if (o.size() > FORM_FIELDS_MAX) {
                return ApiOutcome.fail("parameter error: formData has more than " + FORM_FIELDS_MAX + " fields");
            }
            for (var e : o.properties()) {
                form.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : Json.write(e.getValue()));
            }
        }
        for (String field : form.keySet()) {
            if (!fieldName(field)) {
                return ApiOutcome.fail("parameter error: formData field names must be 1-" + FIELD_NAME_CHARS_MAX + " characters without quotes or line breaks");
            }
        }
        if (!fieldName(name)) {
            return ApiOutcome.fail("parameter error: name must be 1-" + FIELD_NAME_CHARS_MAX + " characters without quotes or line breaks");
        }
        String quota = s.uploadQuota().tryStart(System.currentTimeMillis());
        if (quota != null) {
            return ApiOutcome.denied(quota);
        }
        String boundary = "----CapsuleFormBoundary" + HexFormat.of().formatHex(randomBytes());
        Map<String, String> headers = NetworkApis.headers(args);
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("content-type"));
        headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        String fileName = filePath.substring(TempFiles.PREFIX.length());
        byte[] body = multipart(boundary, form, name, fileName, content);
        HttpRequestSpec spec = new HttpRequestSpec(url, "POST", headers, body, timeout(args));
        CompletableFuture<ApiOutcome> result = s.http().send(spec, s.manifest().network().uploadFile(), "network.uploadFile")
                .thenApply(outcome -> switch (outcome) {
                    case HttpOutcome.Response r -> {
                        s.audit("wx.uploadFile", "status " + r.status(), NetworkApis.hostOf(url));
                        yield new ApiOutcome.Ok(Json.object().put("statusCode", r.status()).put("data", new String(r.body(), StandardCharsets.UTF_8)));
                    }
                    case HttpOutcome.Failure f -> failure(s, "wx.uploadFile", url, f);
                });
        result.whenComplete((r, e) -> s.uploadQuota().finished());
        return new ApiOutcome.Later(result);
    }

    private static ApiOutcome failure(ApiContext s, String action, String url, HttpOutcome.Failure f) {
        boolean denied = NetworkApis.POLICY_DENIALS.contains(f.kind());
        if (!denied) {
            s.audit(action, "failed", NetworkApis.hostOf(url) + ": " + f.message()); // denials are audited once, when reported
        }
        return new ApiOutcome.Fail(f.message(), denied);
    }

    private static Duration timeout(JsonNode args) {
        JsonNode t = args.get("timeout");
        return t != null && t.isNumber() && t.asLong() > 0 && t.asLong() <= NetworkApis.TIMEOUT_MILLIS_MAX
                ? Duration.ofMillis(t.asLong()) : Duration.ofMillis(NetworkApis.TIMEOUT_MILLIS_MAX);
    }

    /** A quoted multipart name: no quote, backslash or control character can end or bend the header line. */
    private static boolean fieldName(String n) {
        return !n.isEmpty() && n.length() <= FIELD_NAME_CHARS_MAX && n.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\');
    }

    private static byte[] multipart(String boundary, Map<String, String> form, String name, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        for (var e : form.entrySet()) {
            text(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n" + e.getValue() + "\r\n");
        }
        text(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        text(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The file's extension: the URL path's, else the response's content type's, else none. */
    static String extension(String url, Map<String, java.util.List<String>> headers) {
        try {
            String path = URI.create(url).getPath();
            int slash = path == null ? -1 : path.lastIndexOf('/');
            int dot = path == null ? -1 : path.lastIndexOf('.');
            if (dot > slash) {
                String ext = path.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (ext.matches("[a-z0-9]{1,8}")) {
                    return ext;
                }
            }
        } catch (IllegalArgumentException e) {
            // The client accepted the URL; a path we cannot read only means no extension from it.
        }
        for (var h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("content-type") && !h.getValue().isEmpty()) {
                String type = h.getValue().getFirst().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                return EXTENSIONS.get(type);
            }
        }
        return null;
    }
}
