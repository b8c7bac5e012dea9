package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.masvs.MasvsCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capsule report masvs} as a user meets it: it writes both files, {@code --check} passes only when every claimed
 * test passed and fails with one line naming the first that did not, and each usage error is one line with exit 2.
 */
class ReportMasvsCliTest {
    @TempDir
    Path dir;

    /** A Surefire report for each named class: passed, except the ones given, which failed. */
    Path results(List<String> failing) throws IOException {
        Path reports = Files.createDirectories(dir.resolve("surefire-reports"));
        for (String test : MasvsCatalogue.load().testClasses()) {
            boolean fails = failing.contains(test);
            Files.writeString(reports.resolve("TEST-" + test + ".xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <testsuite name="%s" time="0.250" tests="2" errors="0" skipped="0" failures="%d">
                      <testcase name="a" classname="%s" time="0.1"/>
                    </testsuite>
                    """.formatted(test, fails ? 1 : 0, test));
        }
        return reports;
    }

    @Test
    void writesBothFilesAndTheCheckPassesWhenEveryClaimedTestPassed() throws IOException {
        Path out = dir.resolve("report");
        CliRun run = CliRun.oneLineErrors("report", "masvs", "--results", results(List.of()).toString(), "--out", out.toString(), "--check");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("24 controls (", "named test classes: " + MasvsCatalogue.load().testClasses().size() + " passed, 0 failed",
                "check: every test a control claims ran and passed.");
        assertThat(Files.readString(out.resolve("masvs.html"))).contains("MASVS-PRIVACY-4", "Not fetched: no --url was given");
        assertThat(Files.readAllBytes(out.resolve("masvs.pdf"))).startsWith("%PDF-".getBytes());
    }

    @Test
    void theCheckFailsWithOneLineWhenAClaimedTestFailedOrDidNotRun() throws IOException {
        Path reports = results(List.of("dev.capsule.core.pkg.ZipBombTest"));
        Files.delete(reports.resolve("TEST-dev.capsule.runtime.net.TlsTest.xml"));
        Path out = dir.resolve("report");

        CliRun run = CliRun.oneLineErrors("report", "masvs", "--results", reports.toString(), "--out", out.toString(), "--check");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("capsule report masvs: 2 of the " + MasvsCatalogue.load().testClasses().size()
                + " named test classes did not run or did not pass (2 claims not backed); first: MASVS-NETWORK-1 claims"
                + " dev.capsule.runtime.net.TlsTest, which did not run (no report).");
        assertThat(run.out()).contains("not backed: MASVS-CODE-4 claims dev.capsule.core.pkg.ZipBombTest, which was failed",
                "not backed: MASVS-NETWORK-1 claims dev.capsule.runtime.net.TlsTest, which did not run (no report)");
        assertThat(out.resolve("masvs.html")).as("the report shows what failed").exists();

        CliRun unchecked = CliRun.oneLineErrors("report", "masvs", "--results", reports.toString(), "--out", out.toString(),
                "--unchecked", "tests were filtered with -Dtest");
        assertThat(unchecked.code()).isZero();
        assertThat(unchecked.out()).contains("check: not checked: tests were filtered with -Dtest.");
        assertThat(Files.readString(out.resolve("masvs.html"))).contains("not checked: tests were filtered with -Dtest.");
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() throws IOException {
        Path out = dir.resolve("report");
        String reports = results(List.of()).toString();

        CliRun missing = CliRun.oneLineErrors("report", "masvs", "--results", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("capsule report masvs: --results " + dir.resolve("nowhere") + ": not a directory");

        CliRun badUrl = CliRun.oneLineErrors("report", "masvs", "--url", "ftp://capsule.example", "--results", reports, "--out", out.toString());
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err().strip()).isEqualTo("capsule report masvs: --url: expected https://HOST[:PORT] (or http:// to a loopback address)");

        CliRun plainHttp = CliRun.oneLineErrors("report", "masvs", "--url", "http://capsule.example", "--results", reports, "--out", out.toString());
        assertThat(plainHttp.code()).isEqualTo(2);
        assertThat(plainHttp.err()).contains("plain http is allowed only to a loopback address");

        CliRun both = CliRun.oneLineErrors("report", "masvs", "--results", reports, "--out", out.toString(), "--check", "--unchecked", "x");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("capsule report masvs: --check and --unchecked exclude each other");

        CliRun since = CliRun.oneLineErrors("report", "masvs", "--results", reports, "--out", out.toString(), "--since", "yesterday");
        assertThat(since.code()).isEqualTo(2);

        CliRun noOut = CliRun.oneLineErrors("report", "masvs", "--results", reports);
        assertThat(noOut.code()).isEqualTo(2);
        assertThat(out).as("nothing written by a refused command").doesNotExist();
    }

    @Test
    void anUnreachableServerIsExitOneAndWritesNothing() throws IOException {
        Path key = Files.writeString(dir.resolve("key"), "capk_test_not_a_real_key");
        Path out = dir.resolve("report");

        CliRun run = CliRun.oneLineErrors("report", "masvs", "--url", "https://127.0.0.1:1", "--api-key-file", key.toString(),
                "--results", results(List.of()).toString(), "--out", out.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("capsule report masvs: cannot fetch the live evidence from https://127.0.0.1:1: cannot connect");
        assertThat(out).doesNotExist();
        assertThat(run.out()).doesNotContain("capk_test");
    }
}
