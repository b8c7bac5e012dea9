package dev.capsule.cli.masvs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.masvs.TestResults.Outcome;
import dev.capsule.cli.masvs.TestResults.TestResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the last result of a test class from Surefire's JUnit XML reports (fixtures in src/test/resources/masvs-results,
 * written as Surefire 3 writes them): passed, failed, errored, skipped, missing, stale, unreadable, and a report with a
 * DTD, which is refused rather than parsed.
 */
class TestResultsTest {
    static final List<String> FIXTURES = List.of("PassingTest", "FailingTest", "ErrorTest", "SkippedTest", "EntityTest", "TruncatedTest");

    @TempDir
    Path dir;

    static Path fixtures(Path dir) throws IOException {
        for (String name : FIXTURES) {
            String file = "TEST-com.example." + name + ".xml";
            try (InputStream in = TestResultsTest.class.getResourceAsStream("/masvs-results/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        return dir;
    }

    @Test
    void eachOutcomeIsReadWithItsCountsAndTime() throws IOException {
        TestResults results = TestResults.read(List.of(fixtures(dir)), Optional.empty());

        TestResult passing = results.of("com.example.PassingTest");
        assertThat(passing.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(passing.tests()).isEqualTo(3);
        assertThat(passing.skipped()).isEqualTo(1);
        assertThat(passing.seconds()).isEqualTo(1.234);
        assertThat(passing.at()).isPresent();

        TestResult failing = results.of("com.example.FailingTest");
        assertThat(failing.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failing.problems()).isEqualTo(1);
        assertThat(results.of("com.example.ErrorTest").outcome()).as("an error is a failure").isEqualTo(Outcome.FAILED);
        assertThat(results.of("com.example.SkippedTest").outcome()).as("every method skipped").isEqualTo(Outcome.SKIPPED);

        TestResult missing = results.of("com.example.NeverRanTest");
        assertThat(missing.outcome()).isEqualTo(Outcome.DID_NOT_RUN);
        assertThat(missing.note()).contains("no report");
        assertThat(results.size()).isEqualTo(FIXTURES.size());
    }

    @Test
    void aReportThatCannotBeReadCountsAsFailedNeverAsPassed() throws IOException {
        TestResults results = TestResults.read(List.of(fixtures(dir)), Optional.empty());

        TestResult truncated = results.of("com.example.TruncatedTest");
        assertThat(truncated.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(truncated.note()).contains("report unreadable");
        TestResult entity = results.of("com.example.EntityTest");
        assertThat(entity.outcome()).as("a DTD is refused, its entity never read").isEqualTo(Outcome.FAILED);
        assertThat(entity.note()).contains("a report with a DTD is refused");
    }

    @Test
    void aReportFromBeforeTheBuildCountsAsNotRun() throws IOException {
        fixtures(dir);
        Files.setLastModifiedTime(dir.resolve("TEST-com.example.PassingTest.xml"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

        TestResults results = TestResults.read(List.of(dir), Optional.of(Instant.parse("2026-06-01T00:00:00Z")));

        assertThat(results.of("com.example.PassingTest").outcome()).isEqualTo(Outcome.DID_NOT_RUN);
        assertThat(results.of("com.example.PassingTest").note()).contains("only a report from before this build");
        assertThat(results.of("com.example.FailingTest").outcome()).as("written now").isEqualTo(Outcome.FAILED);
    }

    @Test
    void theNewestReportOfAClassCounts() throws IOException {
        Path old = Files.createDirectories(dir.resolve("old"));
        Path recent = Files.createDirectories(dir.resolve("recent"));
        fixtures(old);
        Files.copy(old.resolve("TEST-com.example.PassingTest.xml"), recent.resolve("TEST-com.example.FailingTest.xml"));
        Files.setLastModifiedTime(old.resolve("TEST-com.example.FailingTest.xml"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

        TestResults results = TestResults.read(List.of(old, recent), Optional.empty());

        assertThat(results.of("com.example.FailingTest").outcome()).as("the rerun passed").isEqualTo(Outcome.PASSED);
    }

    @Test
    void defaultDirectoriesAreEachModulesSurefireReports() throws IOException {
        Path a = Files.createDirectories(dir.resolve("module-a/target/surefire-reports"));
        Files.createDirectories(dir.resolve("module-b/src"));
        Path c = Files.createDirectories(dir.resolve("module-c/target/surefire-reports"));

        assertThat(TestResults.defaultDirectories(dir)).containsExactly(a, c);
        assertThat(TestResults.defaultDirectories(dir.resolve("module-b"))).isEmpty();
    }
}
