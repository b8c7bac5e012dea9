package dev.capsule.server.platform;

import dev.capsule.core.log.NoteKey;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A transparency log's origin: the first line of every checkpoint and the signed note's key name. Each log
 * has a setting ({@code capsule.audit.origin}, {@code capsule.releases.origin}); by default
 * {@code capsule.local/<log>/<installation id>}, unique per installation so two installations' checkpoints are
 * never confused. Changing it starts a new log as far as verifiers are concerned, so it is read once at start.
 * The platform's {@link LogOrigins} holds one per log: the module that signs a log's checkpoints and the keys
 * module, which publishes the note verifier keys named by them, need the same value.
 */
public final class LogOrigin {
    /** Checkpoints carry the origin on their first line; a longer one is a configuration mistake. */
    static final int ORIGIN_CHARS_MAX = 255;

    private final String setting;
    private final String log;
    private final Supplier<UUID> installation;
    private volatile String name;

    /**
     * @param setting      the property that configures it, named in errors
     * @param log          the path segment of the default ({@code audit}, {@code releases})
     * @param configured   the setting's value, blank for the default
     * @param installation the installation id, read on first use of the default
     */
    LogOrigin(String setting, String log, String configured, Supplier<UUID> installation) {
        this.setting = setting;
        this.log = log;
        this.installation = installation;
        String value = configured.strip();
        if (!value.isEmpty()) {
            this.name = checked(value);
        }
    }

    /** The origin; the default is read on first use, once the installation record exists. */
    public String name() {
        String known = name;
        if (known == null) {
            known = checked("capsule.local/" + log + "/" + installation.get());
            name = known;
        }
        return known;
    }

    private String checked(String origin) {
        if (origin.length() > ORIGIN_CHARS_MAX || !NoteKey.isValidName(origin)) {
            throw new IllegalArgumentException(setting + " must be 1 to " + ORIGIN_CHARS_MAX
                    + " characters without spaces, control characters or '+' (a C2SP signed-note key name), not " + origin);
        }
        return origin;
    }
}
