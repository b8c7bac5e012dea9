package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A launch that leaves no running app or no first page is a failed launch in both tiers: an error
 * line saying so and an exit with code 1 (which `capsule run` turns into a non-zero status). A guest
 * error after the first page loaded is an ordinary uncaught error, not a failed launch.
 */
class LaunchFailureTest {
    static Stream<Arguments> failedLaunches() {
        return Stream.of(Isolation.values()).flatMap(tier -> Stream.of(
                Arguments.of(tier, "app.js throws", TestApps.app("app.js", "throw new Error('boom')"),
                        "app.js failed or did not call App()", "Uncaught Error: boom"),
                Arguments.of(tier, "app.js never calls App()", TestApps.app("app.js", "const x = 1;"),
                        "app.js failed or did not call App()", "app.js did not call App()"),
                Arguments.of(tier, "the page script throws", TestApps.page("throw new TypeError('page boom')"),
                        "the first page pages/index/index failed to load or did not call Page()", "Uncaught TypeError: page boom"),
                Arguments.of(tier, "the page never calls Page()", TestApps.page("const y = 2;"),
                        "the first page pages/index/index failed to load or did not call Page()", "page pages/index/index did not call Page()")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failedLaunches")
    void aLaunchWithoutAppOrFirstPageFailsWithExitOne(Isolation tier, String what, CapsulePackage pkg, String reason, String cause) {
        try (var run = Tiers.harness(tier).run(pkg, "launch-" + tier)) {
            run.session().close(); // returns once the session's own exit event is out (idle may be seen just before it)
            assertThat(run.session().ended()).isTrue();
            assertThat(run.session().exitCode()).isEqualTo(1);
            assertThat(run.events().logs()).anySatisfy(l -> assertThat(l).contains(cause)).contains("launch failed: " + reason);
            assertThat(run.events().of(RuntimeEvent.Log.class)).filteredOn(l -> l.text().startsWith("launch failed"))
                    .singleElement().extracting(RuntimeEvent.Log::level).isEqualTo("error");
            assertThat(run.events().all().getLast()).isEqualTo(new RuntimeEvent.Exit(1, "launch failed: " + reason));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void errorsAfterTheFirstPageLoadedAreNotAFailedLaunch(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "App({ onLaunch() { throw new Error('in onLaunch') } })",
                "pages/index/index.js", "Page({ onLoad() { throw new Error('in onLoad') } })");
        try (var run = Tiers.harness(tier).run(pkg, "launch-ok-" + tier)) {
            assertThat(run.session().ended()).isFalse();
            assertThat(run.events().logs()).noneMatch(l -> l.startsWith("launch failed"))
                    .anySatisfy(l -> assertThat(l).contains("in onLaunch")).anySatisfy(l -> assertThat(l).contains("in onLoad"));
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUncaughtErrorWithAHugeMessageIsLoggedCutAndTheSessionGoesOn(Isolation tier) {
        // Before: the whole message went out as one log line, which a worker may not send (a false protocol violation).
        CapsulePackage pkg = TestApps.app("app.js", "App({})",
                "pages/index/index.js", "Page({ onLoad() { throw new Error('x'.repeat(100000)) } })");
        try (var run = Tiers.harness(tier).run(pkg, "huge-error-" + tier)) {
            assertThat(run.session().ended()).isFalse();
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.events().logs()).filteredOn(l -> l.contains("Uncaught Error: xxx")).singleElement()
                    .satisfies(l -> assertThat(l.length()).isLessThan(8 * 1024 + 64));
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }
}
