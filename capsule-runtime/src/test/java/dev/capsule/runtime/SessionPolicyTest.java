package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A launch's {@link SessionPolicy}: APIs of groups it does not allow are absent and refused by the host,
 * in both tiers; its limits lower the runtime's.
 */
class SessionPolicyTest {
    private static final String PROBE = """
            Page({ onLoad() {
                console.log('getLocation ' + typeof wx.getLocation + ' ' + wx.canIUse('getLocation'));
                console.log('request ' + typeof wx.request + ' ' + wx.canIUse('request'));
                console.log('setStorage ' + typeof wx.setStorage + ' ' + wx.canIUse('setStorage'));
            } })""";

    private static Harness.Run launch(Isolation tier, SessionPolicy policy, String script) throws Exception {
        Harness h = Tiers.harness(tier);
        Recorder recorder = new Recorder();
        return new Harness.Run(h.runtime.launch(TestApps.verified(TestApps.page(script)), "policy-" + tier, recorder, policy), recorder).idle();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void apisOfGroupsThePolicyLeavesOutAreAbsent(Isolation tier) throws Exception {
        var groups = EnumSet.allOf(ApiGroup.class);
        groups.removeAll(EnumSet.of(ApiGroup.PERSONAL_DATA, ApiGroup.NETWORK));
        try (var run = launch(tier, new SessionPolicy(RuntimeLimits.DEFAULTS, groups), PROBE)) {
            assertThat(run.events().logs()).containsExactly("getLocation undefined false", "request undefined false", "setStorage function true");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theUnrestrictedPolicyHasEveryGroup(Isolation tier) throws Exception {
        try (var run = launch(tier, SessionPolicy.UNRESTRICTED, PROBE)) {
            assertThat(run.events().logs()).containsExactly("getLocation function true", "request function true", "setStorage function true");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void thePolicysLimitsLowerTheRuntimes(Isolation tier) throws Exception {
        String spin = "Page({ onLoad() { let i = 0; while (i < 200000) { i++; } console.log('done'); } })";
        try (var run = launch(tier, new SessionPolicy(RuntimeLimits.DEFAULTS.withStatementsPerEventMax(100_000), ApiGroup.all()), spin)) {
            assertThat(run.events().violations()).anySatisfy(v -> assertThat(v.kind()).isEqualTo(ViolationKind.CPU));
            assertThat(run.events().logs()).doesNotContain("done");
        }
        try (var run = launch(tier, SessionPolicy.UNRESTRICTED, spin)) {
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.events().logs()).contains("done");
        }
    }
}
