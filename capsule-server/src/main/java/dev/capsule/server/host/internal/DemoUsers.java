package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import java.util.List;
import java.util.Optional;

/**
 * The demo users offered at {@code /shell/demo} when {@code capsule.host.demo-users=true} ({@code capsule serve --dev},
 * {@code capsule dev DIR}): fixed ids, so a developer sees the same storage and consent decisions across restarts.
 * They are ordinary shell users otherwise (pairwise ids, storage, consent), flagged {@code demo} in their session.
 */
public final class DemoUsers {
    /** The demo users, in the order the page lists them. */
    public static final List<ShellUserId> ALL = List.of(new ShellUserId("demo-alice"), new ShellUserId("demo-bob"),
            new ShellUserId("demo-carol"));

    private DemoUsers() {
    }

    /** The demo user with this id, or empty when it is not one. */
    public static Optional<ShellUserId> named(String id) {
        return ALL.stream().filter(user -> user.value().equals(id)).findFirst();
    }
}
