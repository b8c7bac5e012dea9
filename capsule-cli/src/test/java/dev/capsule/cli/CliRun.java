package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One run of the CLI in this JVM, as a user meets it: its exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {
    /** Runs the CLI; whatever happens, nothing it prints is a stack trace. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CapsuleCli.run(args, new PrintWriter(out), new PrintWriter(err));
        CliRun r = new CliRun(code, out.toString(), err.toString());
        assertThat(r.out + r.err).as("no stack trace for %s", List.of(args)).doesNotContain("\tat ");
        return r;
    }

    /** As {@link #of}, and a failure is exactly one line on stderr with no exception name in it. */
    static CliRun oneLineErrors(String... args) {
        CliRun r = of(args);
        assertThat(r.out + r.err).as("no exception for %s", List.of(args)).doesNotContain("Exception");
        if (r.code != 0) {
            assertThat(r.err.strip()).as("error is one line").doesNotContain("\n").isNotEmpty();
        }
        return r;
    }

    /** Writes an --events script into {@code dir} under a fresh name and returns its path. */
    static java.nio.file.Path eventsFile(java.nio.file.Path dir, String json) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("events-" + System.nanoTime() + ".json");
        java.nio.file.Files.writeString(file, json);
        return file;
    }

    /** Stdout as one JSON document. */
    JsonNode json() {
        return JsonMapper.shared().readTree(out);
    }

    /** Stdout as JSON lines. */
    List<JsonNode> lines() {
        return out.lines().map(l -> JsonMapper.shared().readTree(l)).toList();
    }

    /** The {@code type} of each JSON line. */
    List<String> types() {
        return lines().stream().map(l -> l.get("type").stringValue()).toList();
    }
}
