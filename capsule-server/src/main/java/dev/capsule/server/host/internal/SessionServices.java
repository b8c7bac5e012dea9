package dev.capsule.server.host.internal;

import dev.capsule.server.platform.Residency;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.ConsentPrompter;
import dev.capsule.runtime.host.DeviceServices;
import dev.capsule.runtime.host.HostUi;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.runtime.host.PersonalDataProvider;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@link HostServices} of one hosted session: its host UI, consent sheet and payment sheet are prompts to that
 * session's browser (drawn by the shell outside the mini-program's area); consent decisions are kept in the platform's
 * {@link ConsentLedger}; the payment sheet is the host's {@link HostPaymentSheet} over the payments module; the audit
 * trail is the platform's {@link AuditSink} (the audit log), copied to the panel of a development preview. No {@code wx.login} identity provider and no personal data provider exist yet, so those APIs
 * are absent or answer no data (docs/host.md, "Sessions").
 *
 * <p>Security guarantees: a prompt unanswered within {@code capsule.host.prompt-seconds}, or pending when the session
 * ends, is cancel (modal, action sheet, payment sheet) or deny (consent); the payment sheet reports paid only when the
 * payments module confirmed the charge; the session reaches the browser of its own session only.
 */
@Component
class SessionServices {
    private final JdbcConsentLedger ledger;
    private final Residency residency;
    private final AuditSink audit;
    private final HostPaymentSheet payments;

    SessionServices(JdbcConsentLedger ledger, Residency residency, AuditSink audit, HostPaymentSheet payments) {
        this.ledger = ledger;
        this.residency = residency;
        this.audit = audit;
        this.payments = payments;
    }

    HostServices of(HostedSession session) {
        HostUi ui = new HostUi() {
            @Override
            public boolean showModal(String appId, String title, String content, boolean showCancel) {
                return session.prompt(Prompts.Kind.MODAL, id -> Wire.modal(id, title, content, showCancel), 0)
                        .map(JsonNode::booleanValue).orElse(false);
            }

            @Override
            public int showActionSheet(String appId, List<String> items) {
                return session.prompt(Prompts.Kind.ACTION_SHEET, id -> Wire.actionSheet(id, items), items.size())
                        .map(JsonNode::intValue).orElse(-1);
            }
        };
        ConsentPrompter consent = (appId, userId, scope, purpose) ->
                session.prompt(Prompts.Kind.CONSENT, id -> Wire.consent(id, scope, purpose), 0).map(JsonNode::booleanValue).orElse(false);
        PaymentSheet payment = payments.of(session);
        AuditSink sink = session.dev ? event -> {
            audit.record(event);
            session.devFrame("audit", Wire.object().put("at", event.at().toString()).put("action", event.action())
                    .put("outcome", event.outcome()).put("detail", event.detail()));
        } : audit;
        // The consent ledger of the user's region (docs/residency.md).
        ConsentLedger regional = ledger.in(residency.database(session.principal.region()));
        return new HostServices(ui, Optional.empty(), consent, regional, PersonalDataProvider.NONE, Optional.of(payment), sink,
                DeviceServices.HEADLESS);
    }
}
