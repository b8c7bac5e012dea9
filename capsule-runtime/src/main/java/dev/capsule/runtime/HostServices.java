package dev.capsule.runtime;

import dev.capsule.runtime.host.AuditSink;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.ConsentPrompter;
import dev.capsule.runtime.host.DeviceServices;
import dev.capsule.runtime.host.HostUi;
import dev.capsule.runtime.host.IdentityProvider;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.runtime.host.PersonalDataProvider;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host application provides to mini-programs. Optional services make their APIs absent
 * when missing ({@code wx.login} without an identity provider, {@code wx.requestPayment} without a
 * payment sheet); the others have safe defaults (deny, cancel, no data).
 */
public record HostServices(
        HostUi ui,
        Optional<IdentityProvider> identity,
        ConsentPrompter consentPrompter,
        ConsentLedger consentLedger,
        PersonalDataProvider personalData,
        Optional<PaymentSheet> payment,
        AuditSink audit,
        DeviceServices devices) {

    public HostServices {
        Objects.requireNonNull(ui, "ui");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(consentPrompter, "consentPrompter");
        Objects.requireNonNull(consentLedger, "consentLedger");
        Objects.requireNonNull(personalData, "personalData");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(devices, "devices");
    }

    /**
     * Safe defaults: cancel UI, no identity, deny consent, no personal data, no payment, no audit, and
     * a headless device ({@link DeviceServices#HEADLESS}: nothing is read back from it, every phone call
     * is cancelled).
     */
    public static HostServices defaults() {
        return new HostServices(HostUi.CANCEL_ALL, Optional.empty(), ConsentPrompter.DENY_ALL, new InMemoryConsentLedger(),
                PersonalDataProvider.NONE, Optional.empty(), AuditSink.NONE, DeviceServices.HEADLESS);
    }

    public HostServices withUi(HostUi value) {
        return new HostServices(value, identity, consentPrompter, consentLedger, personalData, payment, audit, devices);
    }

    public HostServices withIdentity(IdentityProvider value) {
        return new HostServices(ui, Optional.of(value), consentPrompter, consentLedger, personalData, payment, audit, devices);
    }

    public HostServices withConsent(ConsentPrompter prompter, ConsentLedger ledger) {
        return new HostServices(ui, identity, prompter, ledger, personalData, payment, audit, devices);
    }

    public HostServices withPersonalData(PersonalDataProvider value) {
        return new HostServices(ui, identity, consentPrompter, consentLedger, value, payment, audit, devices);
    }

    public HostServices withPayment(PaymentSheet value) {
        return new HostServices(ui, identity, consentPrompter, consentLedger, personalData, Optional.of(value), audit, devices);
    }

    public HostServices withAudit(AuditSink value) {
        return new HostServices(ui, identity, consentPrompter, consentLedger, personalData, payment, value, devices);
    }

    public HostServices withDevices(DeviceServices value) {
        return new HostServices(ui, identity, consentPrompter, consentLedger, personalData, payment, audit, value);
    }
}
