package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Both isolation tiers give the same event stream for every fixture app (issue #13). A fixture is a
 * directory {@code src/test/resources/fixtures/NAME/}: an unmodified WeChat-style app (no capsule.json,
 * so the strictest manifest) with an optional {@code events.json} of scripted events. Any directory
 * there is picked up; each must launch (a launch line), so two identical rejections cannot pass as
 * "the same stream".
 *
 * <p>Normalised before comparing, and nothing else: wall-clock readings, that is any integer in the
 * JSON that lies within the two runs' time span as epoch milliseconds (a {@code Date.now()} a fixture
 * put in its data or printed). The two runs happen one after the other, so those differ legitimately;
 * the order of events, data, api outcomes and reasons, log text (uncaught errors with file:line
 * included), violations and the exit line must be identical.
 */
class FixtureTiersTest {
    static final Path FIXTURES = RepoPaths.root().resolve("capsule-cli/src/test/resources/fixtures");
    static final String EVENTS_FILE = "events.json";
    /** How far outside the runs' span a number still counts as a clock reading (timer delays, clock skew between JVMs). */
    private static final long CLOCK_SLACK_MILLIS = 60_000;

    static Stream<Named<Path>> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            List<Path> found = dirs.filter(Files::isDirectory).sorted().toList();
            assertThat(found).as("fixture directories under %s", FIXTURES).isNotEmpty();
            return found.stream().map(d -> Named.of(d.getFileName().toString(), d));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bothIsolationTiersGiveTheSameEventStream(Path fixture) {
        long start = System.currentTimeMillis();
        CliRun process = CliRun.of(args(fixture, "process"));
        CliRun inProcess = CliRun.of(args(fixture, "in-process"));
        long end = System.currentTimeMillis();

        assertThat(process.types()).as("the fixture launches: %s%s", process.out(), process.err()).contains("launch");
        assertThat(inProcess.code()).as("exit codes").isEqualTo(process.code());
        assertThat(normalised(inProcess, start, end)).as(fixture.toString()).containsExactlyElementsOf(normalised(process, start, end));
    }

    /** The normalisation replaces clock readings and only them. */
    @Test
    void normalisingReplacesClockReadingsOnly() {
        long now = System.currentTimeMillis();
        String out = "{\"type\":\"data\",\"route\":\"p\",\"data\":{\"at\":" + now + ",\"n\":1700000000000,\"list\":[" + (now + 5) + ",3]}}\n";
        assertThat(normalised(new CliRun(0, out, ""), now, now)).containsExactly(
                "{\"type\":\"data\",\"route\":\"p\",\"data\":{\"at\":\"<clock>\",\"n\":1700000000000,\"list\":[\"<clock>\",3]}}");
    }

    private static String[] args(Path fixture, String tier) {
        List<String> args = new ArrayList<>(List.of("run", fixture.toString(), "--dev", "--json", "--isolation", tier));
        Path events = fixture.resolve(EVENTS_FILE);
        if (Files.isRegularFile(events)) {
            args.addAll(List.of("--events", events.toString()));
        }
        return args.toArray(String[]::new);
    }

    private static List<String> normalised(CliRun run, long startMillis, long endMillis) {
        return run.lines().stream().map(line -> clockless(line, startMillis - CLOCK_SLACK_MILLIS, endMillis + CLOCK_SLACK_MILLIS).toString()).toList();
    }

    private static JsonNode clockless(JsonNode node, long from, long to) {
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= from && node.longValue() <= to) {
            return StringNode.valueOf("<clock>");
        }
        if (node instanceof ObjectNode o) {
            List.copyOf(o.propertyNames()).forEach(name -> o.set(name, clockless(o.get(name), from, to)));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, clockless(a.get(i), from, to));
            }
        }
        return node;
    }
}
