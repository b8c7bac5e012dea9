package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * {@link PairwiseIds} from the keys module's {@link Pseudonyms}: {@code "u" + tag("capsule.host.pairwise/1\n" + app
 * + "\n" + user)}, 33 characters that the runtime accepts as a user id.
 *
 * <p>Security guarantees: the id is an HMAC-SHA256 (128 bits) under the platform's {@code pseudonyms} key of the
 * length-unambiguous pair (an app id holds no newline; a {@link ShellUserId} holds none either), so two
 * mini-programs get unrelated ids for one user and nobody without that key can link them or recover the user.
 * Rotating the {@code pseudonyms} key gives every user new ids, and with them new, empty storage areas and no
 * remembered consent decisions (docs/host.md says so; it is the price of ids that cannot be linked).
 */
@Component
class PseudonymPairwiseIds implements PairwiseIds {
    private static final String LABEL = "capsule.host.pairwise/1\n";

    private final Pseudonyms pseudonyms;

    PseudonymPairwiseIds(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    @Override
    public String runtimeUserId(MiniProgramId app, ShellUserId user) {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(user, "user");
        return "u" + pseudonyms.tag(LABEL + app.value() + "\n" + user.value());
    }
}
