package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.runtime.view.ViewEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A handler that sets data and then asks the host for something the user answers (here {@code wx.requestPayment}, the
 * host's payment sheet) has its page rendered before the host asks, in both tiers: the page behind the sheet shows
 * "asking", not the page of before the tap. (Before, the batch went out only when the handler returned, after the
 * sheet was answered: a browser waiting for the page's "asking" while the sheet was open waited for ever, which read as
 * a tap that never reached the mini-program.)
 */
class PromptRenderTest {
    private static final String WXML = "<text id=\"result\">result {{result}}</text><button id=\"pay\" bindtap=\"pay\">pay</button>";
    private static final String JS = """
            Page({
              data: { result: 'none', paid: 0 },
              pay() {
                this.setData({ result: 'asking ' + (this.data.paid + 1) });
                wx.requestPayment({ timeStamp: '1', nonceStr: 'n', package: 'prepay_id=1', signType: 'ED25519', paySign: 's',
                  success: () => this.setData({ paid: this.data.paid + 1, result: 'ok ' + (this.data.paid + 1) }),
                  fail: (e) => this.setData({ result: 'fail ' + e.errMsg }) });
              }
            })""";

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void whatAHandlerSetBeforeAskingTheHostIsShownWhileTheHostAsks(Isolation tier) {
        AtomicReference<Harness.Run> running = new AtomicReference<>();
        List<String> behindTheSheet = new CopyOnWriteArrayList<>();
        HostServices services = HostServices.defaults().withPayment((app, user, request) -> {
            behindTheSheet.add(ViewSessionTest.text(running.get().session().view().orElseThrow(), "#result"));
            return new PaymentSheet.Outcome.Paid();
        });
        try (Harness harness = tier == Isolation.PROCESS ? Harness.inWorkers(services, WorkerLimits.DEFAULTS.withWorkers(2, 1))
                : new Harness(services, RuntimeLimits.DEFAULTS);
                Harness.Run run = harness.run(TestApps.app("pages/index/index.wxml", WXML, "pages/index/index.js", JS), "payer")) {
            running.set(run);
            for (int payment = 1; payment <= 2; payment++) {
                tap(run);
                assertThat(ViewSessionTest.text(run.session().view().orElseThrow(), "#result")).isEqualTo("result ok " + payment);
            }
            assertThat(behindTheSheet).as("each sheet was shown over the page the handler had set")
                    .containsExactly("result asking 1", "result asking 2");
            assertThat(run.events().violations()).isEmpty();
        }
    }

    private static void tap(Harness.Run run) {
        var pay = run.session().view().orElseThrow().select("#pay");
        run.session().dispatchView(new ViewEvent(pay.getFirst(), "tap", StrictJson.mapper().createObjectNode()));
        run.idle();
    }
}
