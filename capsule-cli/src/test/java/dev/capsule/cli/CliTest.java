package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The CLI as a user meets it: exact command names, exit codes, one-line errors, no stack traces. */
class CliTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.oneLineErrors(args);
    }

    private String p(String name) {
        return tmp.resolve(name).toString();
    }

    private Path todo;

    @BeforeEach
    void keysAndPackage() {
        todo = RepoPaths.example("todo");
        assertThat(run("keygen", "--out", p("dev.key")).code()).isZero();
        assertThat(run("keygen", "--out", p("platform.key")).code()).isZero();
        assertThat(run("pack", todo.toString(), "--out", p("todo.capsule")).code()).isZero();
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").out()).startsWith("capsule 0.1.0");
        CliRun help = run("help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("keygen", "pack", "sign", "verify", "inspect", "Exit codes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"keygen", "pack", "sign", "verify", "inspect", "review", "help"})
    void everySubcommandHasHelp(String command) {
        CliRun r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: capsule " + command);
    }

    @Test
    void keygenWritesPrivateKeyWithMode600AndPrintsKeyId() throws Exception {
        CliRun r = run("keygen", "--out", p("k"));
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("k")))).isEqualTo("rw-------");
        assertThat(Files.readString(tmp.resolve("k"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tmp.resolve("k.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(r.out()).doesNotContain("PRIVATE");
    }

    @Test
    void keygenRefusesToOverwrite() throws Exception {
        String before = Files.readString(tmp.resolve("dev.key"));
        CliRun r = run("keygen", "--out", p("dev.key"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("already exists");
        assertThat(Files.readString(tmp.resolve("dev.key"))).isEqualTo(before);
    }

    @Test
    void packSignVerifyRoundTrip() {
        assertThat(run("sign", p("todo.capsule"), "--key", p("dev.key")).code()).isZero();
        CliRun verify = run("verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*");
        assertThat(verify.code()).isZero();
        assertThat(verify.out()).startsWith("verified com.example.todo 1.0.0: developer signature by");
    }

    @Test
    void packIsDeterministic() throws Exception {
        assertThat(run("pack", todo.toString(), "--out", p("again.capsule")).code()).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("again.capsule"))).isEqualTo(Files.readAllBytes(tmp.resolve("todo.capsule")));
    }

    @Test
    void verifyRejectsUnsignedAndWrongKey() {
        CliRun unsigned = run("verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*");
        assertThat(unsigned.code()).isEqualTo(1);
        assertThat(unsigned.err()).contains("rejected (unsigned)");
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        CliRun wrongKey = run("verify", p("todo.capsule"), "--trust", p("platform.key.pub") + ":*");
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("rejected (untrusted)");
    }

    @Test
    void platformCountersignatureAndRequiredRole() {
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        String dev = "developer=" + p("dev.key.pub") + ":com.example.*";
        String platform = "platform=" + p("platform.key.pub") + ":*";
        CliRun missing = run("verify", p("todo.capsule"), "--trust", dev, "--trust", platform, "--require-role", "platform");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("rejected (role-missing)");
        assertThat(run("sign", p("todo.capsule"), "--key", p("platform.key"), "--role", "platform", "--out", p("released.capsule")).code()).isZero();
        CliRun ok = run("verify", p("released.capsule"), "--trust", dev, "--trust", platform, "--require-role", "platform");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("platform signature");
    }

    @Test
    void developerCannotPromoteItselfToPlatform() {
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        run("sign", p("todo.capsule"), "--key", p("dev.key"), "--role", "platform");
        CliRun r = run("verify", p("todo.capsule"), "--trust", "developer=" + p("dev.key.pub") + ":com.example.*", "--trust", "platform=" + p("platform.key.pub") + ":*",
                "--require-role", "platform");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("rejected (role-not-trusted)");
    }

    @Test
    void requireRoleWithoutRoleBoundKeyIsAUsageError() {
        CliRun r = run("verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*", "--require-role", "platform");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--trust platform=KEY.pub");
    }

    @Test
    void verifyJsonReportsOutcome() {
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        CliRun ok = run("verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*", "--json");
        assertThat(ok.code()).isZero();
        assertThat(ok.json().get("ok").booleanValue()).isTrue();
        assertThat(ok.json().get("signatures").get(0).get("role").stringValue()).isEqualTo("developer");
        CliRun bad = run("verify", p("todo.capsule"), "--trust", p("platform.key.pub") + ":*", "--json");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.json().get("ok").booleanValue()).isFalse();
        assertThat(bad.json().get("reason").stringValue()).isEqualTo("untrusted");
    }

    @Test
    void tamperedPackageIsRejectedWithReason() throws Exception {
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        byte[] bytes = Files.readAllBytes(tmp.resolve("todo.capsule"));
        bytes[60] ^= 0x20;
        Files.write(tmp.resolve("todo.capsule"), bytes);
        CliRun r = run("verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("capsule verify: rejected (");
    }

    @Test
    void inspectShowsManifestFilesAndSignatures() {
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        CliRun text = run("inspect", p("todo.capsule"));
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("com.example.todo 1.0.0", "developer", "app.js", "not verified");
        JsonNode json = run("inspect", p("todo.capsule"), "--json").json();
        assertThat(json.get("id").stringValue()).isEqualTo("com.example.todo");
        assertThat(json.get("signatures").get(0).get("role").stringValue()).isEqualTo("developer");
        List<String> paths = new ArrayList<>();
        json.get("files").forEach(f -> paths.add(f.get("path").stringValue()));
        assertThat(paths).contains("app.js", "capsule.json", "pages/index/index.js");
        assertThat(json.get("files").get(0).get("sha256").stringValue()).hasSize(64);
    }

    @Test
    void packRejectsInvalidSourcesWithExitOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}");
        CliRun r = run("pack", dir.toString(), "--out", p("bad.capsule"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("rejected (invalid-manifest)").contains("capsule.json");
        assertThat(tmp.resolve("bad.capsule")).doesNotExist();
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Files.writeString(tmp.resolve("garbage.pub"), "hello");
        for (String[] args : List.of(
                new String[] {"bogus"},
                new String[] {"verify", p("todo.capsule")},
                new String[] {"verify", p("todo.capsule"), "--trust", p("missing.pub")},
                new String[] {"verify", p("todo.capsule"), "--trust", p("garbage.pub")},
                new String[] {"verify", p("nope.capsule"), "--trust", p("dev.key.pub") + ":com.example.*"},
                new String[] {"verify", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*", "--require-role", "admin"},
                new String[] {"sign", p("todo.capsule"), "--key", p("dev.key"), "--role", "root"},
                new String[] {"sign", p("todo.capsule"), "--key", p("dev.key.pub") + ":com.example.*"},
                new String[] {"pack", p("no-such-dir"), "--out", p("x.capsule")},
                new String[] {"inspect", p("todo.capsule"), "--frobnicate"})) {
            CliRun r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
        }
    }
}
