package dev.capsule.cli.masvs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The last results of test classes, read from JUnit XML reports as Maven Surefire writes them ({@code TEST-<class>.xml}:
 * one {@code testsuite} element per class, with {@code tests}, {@code failures}, {@code errors}, {@code skipped} and
 * {@code time}).
 *
 * <p>Security guarantees: only the root element's attributes are read, by a streaming parser with DTDs and external
 * entities off (a report cannot make the reader fetch or expand anything); at most {@link #FILES_MAX} reports per
 * directory; a report that cannot be read counts as a failed class, never as a pass.
 */
public final class TestResults {
    /** Most report files read from one directory (Capsule has a few hundred test classes). */
    public static final int FILES_MAX = 10_000;
    private static final String PREFIX = "TEST-";
    private static final String SUFFIX = ".xml";

    private final Map<String, TestResult> byClass;

    private TestResults(Map<String, TestResult> byClass) {
        this.byClass = Map.copyOf(byClass);
    }

    /** What became of a test class. */
    public enum Outcome {
        PASSED("passed"), FAILED("failed"), SKIPPED("skipped"), DID_NOT_RUN("did not run");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One class's last result.
     *
     * @param tests    test methods reported
     * @param problems failures plus errors
     * @param seconds  the class's run time as reported
     * @param at       when the report was written (its file's time); empty for a class that did not run
     * @param note     why a result is not what the report's numbers say (an unreadable or stale report), or empty
     */
    public record TestResult(String className, Outcome outcome, int tests, int problems, int skipped, double seconds,
            Optional<Instant> at, Optional<String> note) {
        static TestResult didNotRun(String className, String note) {
            return new TestResult(className, Outcome.DID_NOT_RUN, 0, 0, 0, 0, Optional.empty(), Optional.of(note));
        }
    }

    /**
     * Reads every {@code TEST-*.xml} in the directories; for a class reported in several, the newest report counts.
     *
     * @param since a report older than this counts as not run in this build (empty: any age)
     * @throws IOException if a directory cannot be listed
     */
    public static TestResults read(List<Path> directories, Optional<Instant> since) throws IOException {
        Map<String, TestResult> byClass = new HashMap<>();
        for (Path directory : directories) {
            int files = 0;
            try (DirectoryStream<Path> reports = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
                for (Path report : reports) {
                    if (++files > FILES_MAX) {
                        throw new IOException(directory + ": more than " + FILES_MAX + " reports");
                    }
                    String name = report.getFileName().toString();
                    String className = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                    TestResult result = readOne(className, report, since);
                    byClass.merge(className, result, TestResults::newer);
                }
            }
        }
        return new TestResults(byClass);
    }

    /** Every module's {@code target/surefire-reports} directly under {@code root} (and the root's own), that exist. */
    public static List<Path> defaultDirectories(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Path own = root.resolve("target/surefire-reports");
        if (Files.isDirectory(own)) {
            found.add(own);
        }
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path module : modules) {
                Path reports = module.resolve("target/surefire-reports");
                if (Files.isDirectory(reports)) {
                    found.add(reports);
                }
            }
        }
        found.sort(null);
        return found;
    }

    /** The class's result; {@link Outcome#DID_NOT_RUN} when no report names it. */
    public TestResult of(String className) {
        TestResult result = byClass.get(className);
        return result != null ? result : TestResult.didNotRun(className, "no report");
    }

    /** How many classes the reports cover. */
    public int size() {
        return byClass.size();
    }

    private static TestResult newer(TestResult a, TestResult b) {
        Instant ta = a.at().orElse(Instant.MIN);
        Instant tb = b.at().orElse(Instant.MIN);
        return tb.isAfter(ta) ? b : a;
    }

    static TestResult readOne(String className, Path report, Optional<Instant> since) {
        Instant at;
        try {
            at = Files.getLastModifiedTime(report).toInstant();
        } catch (IOException e) {
            return new TestResult(className, Outcome.FAILED, 0, 0, 0, 0, Optional.empty(), Optional.of("report unreadable"));
        }
        if (since.isPresent() && at.isBefore(since.get())) {
            return new TestResult(className, Outcome.DID_NOT_RUN, 0, 0, 0, 0, Optional.of(at),
                    Optional.of("only a report from before this build"));
        }
        try (InputStream in = Files.newInputStream(report)) {
            XMLStreamReader xml = factory().createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD) {
                        return unreadable(className, at, "a report with a DTD is refused");
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        break;
                    }
                }
                if (!xml.isStartElement() || !xml.getLocalName().equals("testsuite")) {
                    return unreadable(className, at, "not a JUnit report");
                }
                int tests = count(xml, "tests");
                int problems = count(xml, "failures") + count(xml, "errors");
                int skipped = count(xml, "skipped");
                double seconds = seconds(xml.getAttributeValue(null, "time"));
                Outcome outcome = problems > 0 ? Outcome.FAILED
                        : tests == 0 || skipped >= tests ? Outcome.SKIPPED : Outcome.PASSED;
                return new TestResult(className, outcome, tests, problems, skipped, seconds, Optional.of(at), Optional.empty());
            } finally {
                xml.close();
            }
        } catch (IOException | XMLStreamException | NumberFormatException e) {
            return unreadable(className, at, "report unreadable");
        }
    }

    private static TestResult unreadable(String className, Instant at, String note) {
        return new TestResult(className, Outcome.FAILED, 0, 0, 0, 0, Optional.of(at), Optional.of(note));
    }

    private static int count(XMLStreamReader xml, String attribute) {
        String value = xml.getAttributeValue(null, attribute);
        if (value == null) {
            return 0;
        }
        int n = Integer.parseInt(value.strip());
        if (n < 0) {
            throw new NumberFormatException(attribute + " is negative");
        }
        return n;
    }

    private static double seconds(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        // Surefire writes plain decimals; some writers group thousands with a comma.
        double seconds = Double.parseDouble(value.strip().replace(",", ""));
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new NumberFormatException("time is not a duration");
        }
        return seconds;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory(); // the JDK's own, whatever else is on the class path
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
