package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Issue #11 on the command line: app-id binding in --trust for verify, run and inspect; run --require-role; help. */
class TrustBindingCliTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.oneLineErrors(args);
    }

    private String p(String name) {
        return tmp.resolve(name).toString();
    }

    /** The todo example with another app id: what a second developer publishes. */
    private Path todoWithId(String id) throws Exception {
        Path dir = tmp.resolve("src-" + id);
        try (var files = Files.walk(RepoPaths.example("todo"))) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(RepoPaths.example("todo").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path manifest = dir.resolve("capsule.json");
        Files.writeString(manifest, Files.readString(manifest).replace("com.example.todo", id));
        return dir;
    }

    @BeforeEach
    void twoDevelopers() {
        assertThat(run("keygen", "--out", p("alice.key")).code()).isZero();
        assertThat(run("keygen", "--out", p("bob.key")).code()).isZero();
        assertThat(run("keygen", "--out", p("platform.key")).code()).isZero();
        // Bob owns com.example.todo.
        assertThat(run("pack", RepoPaths.example("todo").toString(), "--out", p("bob.capsule")).code()).isZero();
        assertThat(run("sign", p("bob.capsule"), "--key", p("bob.key")).code()).isZero();
    }

    private String[] trustBoth() {
        return new String[] {"--trust", "developer=" + p("alice.key.pub") + ":com.alice.*", "--trust", "developer=" + p("bob.key.pub") + ":com.example.todo"};
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void aPackageSignedByAliceClaimingBobsAppIdIsRejectedByVerifyRunAndInspect() throws Exception {
        assertThat(run("pack", RepoPaths.example("todo").toString(), "--out", p("forged.capsule")).code()).isZero();
        assertThat(run("sign", p("forged.capsule"), "--key", p("alice.key")).code()).isZero();

        CliRun verify = run(concat(new String[] {"verify", p("forged.capsule")}, trustBoth()));
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).contains("rejected (app-id-not-allowed)").contains("com.example.todo").contains("com.alice.*");

        CliRun runIt = run(concat(new String[] {"run", p("forged.capsule"), "--json"}, trustBoth()));
        assertThat(runIt.code()).isEqualTo(1);
        assertThat(runIt.out().lines().toList()).singleElement().satisfies(l -> assertThat(l).contains("\"type\":\"exit\"", "app-id-not-allowed"));

        CliRun inspect = run(concat(new String[] {"inspect", p("forged.capsule")}, trustBoth()));
        assertThat(inspect.code()).isEqualTo(1);
        assertThat(inspect.out()).contains("REJECTED (app-id-not-allowed)");
        CliRun inspectJson = run(concat(new String[] {"inspect", p("forged.capsule"), "--json"}, trustBoth()));
        JsonNode verification = JsonMapper.shared().readTree(inspectJson.out()).get("verification");
        assertThat(verification.get("reason").stringValue()).isEqualTo("app-id-not-allowed");

        // Bob's own package verifies under the same policy; inspect marks its signature verified.
        assertThat(run(concat(new String[] {"verify", p("bob.capsule")}, trustBoth())).code()).isZero();
        CliRun bobInspect = run(concat(new String[] {"inspect", p("bob.capsule"), "--json"}, trustBoth()));
        assertThat(bobInspect.code()).isZero();
        assertThat(JsonMapper.shared().readTree(bobInspect.out()).get("signatures").get(0).get("verified").booleanValue()).isTrue();
    }

    @Test
    void storageStaysIsolatedBetweenTwoTrustedDevelopers() throws Exception {
        Path script = tmp.resolve("events.json");
        Files.writeString(script, "[{\"handler\":\"onInput\",\"event\":{\"detail\":{\"value\":\"Bob's secret\"}}},{\"handler\":\"onAdd\"}]");
        CliRun bob = run(concat(new String[] {"run", p("bob.capsule"), "--json", "--data-dir", p("data"), "--events", script.toString(),
                "--isolation", "in-process"}, trustBoth()));
        assertThat(bob.code()).as(bob.err()).isZero();

        // Alice's own app, same code, her own id: runs and does not see Bob's data.
        assertThat(run("pack", todoWithId("com.alice.todo").toString(), "--out", p("alice.capsule")).code()).isZero();
        assertThat(run("sign", p("alice.capsule"), "--key", p("alice.key")).code()).isZero();
        CliRun alice = run(concat(new String[] {"run", p("alice.capsule"), "--json", "--data-dir", p("data"), "--isolation", "in-process"}, trustBoth()));
        assertThat(alice.code()).as(alice.err()).isZero();
        assertThat(alice.out()).contains("\"appId\":\"com.alice.todo\"").doesNotContain("Bob's secret");

        // Alice claiming Bob's id to reach his storage is refused before launch.
        assertThat(run("pack", RepoPaths.example("todo").toString(), "--out", p("forged.capsule")).code()).isZero();
        assertThat(run("sign", p("forged.capsule"), "--key", p("alice.key")).code()).isZero();
        CliRun forged = run(concat(new String[] {"run", p("forged.capsule"), "--json", "--data-dir", p("data"), "--isolation", "in-process"}, trustBoth()));
        assertThat(forged.code()).isEqualTo(1);
        assertThat(forged.out()).doesNotContain("Bob's secret").doesNotContain("\"type\":\"launch\"");

        // Bob still reads his own data: the negative case shows the data was there to be read.
        CliRun again = run(concat(new String[] {"run", p("bob.capsule"), "--json", "--data-dir", p("data"), "--isolation", "in-process"}, trustBoth()));
        assertThat(again.out()).contains("Bob's secret");
    }

    @Test
    void aDeveloperKeyWithoutAppIdsIsAUsageErrorNamingTheSyntax() {
        CliRun r = run("verify", p("bob.capsule"), "--trust", p("bob.key.pub"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(":com.example.*").contains(":*");
        assertThat(run("verify", p("bob.capsule"), "--trust", "developer=" + p("bob.key.pub")).code()).isEqualTo(2);
        // The explicit unbound form works.
        assertThat(run("verify", p("bob.capsule"), "--trust", p("bob.key.pub") + ":*").code()).isZero();
    }

    @Test
    void ambiguousPatternsAreUsageErrors() {
        for (String pattern : List.of("com.*", "com.*.todo", "Com.Example.Todo", "", "*,com.example.todo")) {
            CliRun r = run("verify", p("bob.capsule"), "--trust", "developer=" + p("bob.key.pub") + ":" + pattern);
            assertThat(r.code()).as(pattern).isEqualTo(2);
            assertThat(r.err()).as(pattern).startsWith("capsule verify: --trust ");
        }
        assertThat(run("verify", p("bob.capsule"), "--trust", "developer=" + p("bob.key.pub") + ":com.other.x,com.example.*").code()).isZero();
    }

    @Test
    void runAcceptsRequireRoleAndDemandsThePlatformCountersignature() {
        String[] trust = {"--trust", "developer=" + p("bob.key.pub") + ":com.example.*", "--trust", "platform=" + p("platform.key.pub"),
            "--require-role", "platform", "--isolation", "in-process"};
        CliRun missing = run(concat(new String[] {"run", p("bob.capsule")}, trust));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("rejected (role-missing)");
        assertThat(run("sign", p("bob.capsule"), "--key", p("platform.key"), "--role", "platform").code()).isZero();
        CliRun released = run(concat(new String[] {"run", p("bob.capsule")}, trust));
        assertThat(released.code()).as(released.err()).isZero();
        assertThat(released.out()).contains("(verified)");
        CliRun withDev = run("run", RepoPaths.example("todo").toString(), "--dev", "--require-role", "platform");
        assertThat(withDev.code()).isEqualTo(2);
    }

    @Test
    void helpListsServeAndKeysAndTheCliJarPointsToTheLauncher() {
        CliRun help = run("help");
        assertThat(help.out()).containsPattern("serve +Run the platform server").containsPattern("keys +Manage the server.s keys")
                .containsPattern("osv +Import OSV advisories").containsPattern("dev +Preview a mini-program directory")
                .containsPattern("ledger +Check every invariant");
        for (String command : List.of("serve", "dev", "keys", "osv", "ledger")) {
            CliRun r = run(command, "--port", "8443");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("./capsule " + command).contains("server jar");
        }
    }
}
