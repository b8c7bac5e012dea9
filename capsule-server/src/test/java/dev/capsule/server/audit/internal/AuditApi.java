package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit API as a client sees it, for tests: each call asserts its status and decodes the body. */
record AuditApi(TestHttps https, String[] headers) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A published checkpoint: its size, signed note and the root hash in the note's body. */
    record Published(long size, String note, byte[] root) {
    }

    record Entry(long index, byte[] bytes, byte[] leafHash) {
        JsonNode json() {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    Published publish() {
        HttpResponse<String> response = https.send(https.request("/api/v1/audit/checkpoints").headers(headers)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(response);
        return published(body.get("size").asLong(), body.get("note").asString());
    }

    static Published published(long size, String note) {
        String[] lines = note.split("\n");
        assertThat(Long.parseLong(lines[1])).isEqualTo(size);
        return new Published(size, note, Base64.getDecoder().decode(lines[2]));
    }

    List<Entry> allEntries(long size) {
        List<Entry> entries = new ArrayList<>();
        for (long start = 0; start < size; start += AuditLogReader.ENTRIES_PER_PAGE_MAX) {
            long end = Math.min(size, start + AuditLogReader.ENTRIES_PER_PAGE_MAX);
            JsonNode page = json("/api/v1/audit/entries?start=" + start + "&end=" + end);
            page.get("entries").forEach(e -> entries.add(new Entry(e.get("index").asLong(),
                    Base64.getDecoder().decode(e.get("entry").asString()), Base64.getDecoder().decode(e.get("leafHash").asString()))));
        }
        return entries;
    }

    /** The root recomputed from the entries' bytes (not their stored leaf hashes). */
    static byte[] root(List<Entry> entries) {
        CompactRange tree = new CompactRange();
        entries.forEach(e -> tree.append(MerkleHash.leafHash(e.bytes())));
        return tree.root();
    }

    List<byte[]> inclusion(String which, long size) {
        JsonNode body = json("/api/v1/audit/proofs/inclusion?" + which + "&size=" + size);
        assertThat(body.get("size").asLong()).isEqualTo(size);
        return hashes(body.get("proof"));
    }

    List<byte[]> consistency(long from, long to) {
        JsonNode body = json("/api/v1/audit/proofs/consistency?from=" + from + "&to=" + to);
        assertThat(body.get("from").asLong()).isEqualTo(from);
        assertThat(body.get("to").asLong()).isEqualTo(to);
        return hashes(body.get("proof"));
    }

    String text(String path) {
        HttpResponse<String> response = https.get(path, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return response.body();
    }

    JsonNode json(String path) {
        HttpResponse<String> response = https.get(path, headers);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return TestHttps.json(response);
    }

    /** A problem+json answer with this status and (if not null) this type slug. */
    void assertProblem(String path, int status, String slug) {
        HttpResponse<String> response = https.get(path, headers);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (slug != null) {
            assertThat(TestHttps.json(response).get("type").asString()).as(path).endsWith("/" + slug);
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Base64.getDecoder().decode(h.asString())));
        return out;
    }
}
