package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.payments.PayerId;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * The host's payer conversions: a shell user is the payments module's {@link PayerId} (the same 1-128 characters, a
 * type of the payments module so that module never depends on the host), and the host's own payment tables key the
 * payer by a pseudonym ({@code payer_ref}) instead of the super-app's id in clear.
 *
 * <p>Security guarantees: {@link #ref} is the keys module's HMAC pseudonym under a label of its own, so a copy of the
 * host's payment tables names no user and cannot be joined with the pairwise ids mini-programs see.
 */
@Component
class PayerRefs {
    private static final String LABEL = "capsule.host.payer/1\n";

    private final Pseudonyms pseudonyms;

    PayerRefs(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    static PayerId payer(ShellUserId user) {
        return new PayerId(Objects.requireNonNull(user, "user").value());
    }

    String ref(PayerId payer) {
        return pseudonyms.tag(LABEL + payer.value());
    }

    /** A keyed derivation for this payer under another label (the demo users' step-up secrets). */
    String tag(String label, PayerId payer) {
        return pseudonyms.tag(label + "\n" + payer.value());
    }
}
