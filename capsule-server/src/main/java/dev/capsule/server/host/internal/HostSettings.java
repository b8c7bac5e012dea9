package dev.capsule.server.host.internal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The host's settings ({@code capsule.host.*}), documented in docs/host.md.
 *
 * @param isolation                {@code process} (default: every session in a sandboxed worker process) or
 *                                 {@code in-process} (development preview; tests)
 * @param workersReady             worker processes kept started and waiting for a session
 * @param sessionsPerNodeMax       sessions open at once on this node
 * @param sessionsPerUserMax       sessions one user may have open at once on this node
 * @param idleSeconds              a session without a connected browser or any event for this long ends
 * @param eventsPerSecondMax       events (taps, inputs, answers) a session accepts per second, sustained
 * @param eventsBurstMax           events a session accepts at once
 * @param promptSeconds            how long a modal, action sheet, consent or payment sheet waits for the user
 * @param messageBytesMax          largest WebSocket message the browser may send
 * @param grantSecondsMax          longest lifetime a session grant may ask for
 * @param shellSessionSeconds      lifetime of the shell session a grant is exchanged for
 * @param demoUsers                offer demo users instead of grants ({@code capsule serve --dev}); every shell
 *                                 page says so
 * @param previewDirectory         the unsigned directory {@code capsule dev DIR} previews (empty: no preview)
 * @param frameAncestors           the shell's CSP {@code frame-ancestors} (a super-app embedding the shell in a frame
 *                                 names its origin here)
 */
@ConfigurationProperties("capsule.host")
public record HostSettings(
        @DefaultValue("process") String isolation,
        @DefaultValue("" + WORKERS_READY) int workersReady,
        @DefaultValue("" + SESSIONS_PER_NODE_MAX) int sessionsPerNodeMax,
        @DefaultValue("" + SESSIONS_PER_USER_MAX) int sessionsPerUserMax,
        @DefaultValue("" + IDLE_SECONDS) long idleSeconds,
        @DefaultValue("" + EVENTS_PER_SECOND_MAX) int eventsPerSecondMax,
        @DefaultValue("" + EVENTS_BURST_MAX) int eventsBurstMax,
        @DefaultValue("" + PROMPT_SECONDS) long promptSeconds,
        @DefaultValue("" + MESSAGE_BYTES_MAX) int messageBytesMax,
        @DefaultValue("" + GRANT_SECONDS_MAX) long grantSecondsMax,
        @DefaultValue("" + SHELL_SESSION_SECONDS) long shellSessionSeconds,
        @DefaultValue("false") boolean demoUsers,
        Path previewDirectory,
        @DefaultValue("'none'") String frameAncestors) {
    public static final int WORKERS_READY = 1;
    public static final int SESSIONS_PER_NODE_MAX = 16;
    public static final int SESSIONS_PER_USER_MAX = 3;
    public static final long IDLE_SECONDS = 300;
    public static final int EVENTS_PER_SECOND_MAX = 20;
    public static final int EVENTS_BURST_MAX = 40;
    public static final long PROMPT_SECONDS = 120;
    public static final int MESSAGE_BYTES_MAX = 64 * 1024;
    public static final long GRANT_SECONDS_MAX = 300;
    public static final long SHELL_SESSION_SECONDS = 12 * 60 * 60;

    public HostSettings {
        if (!isolation.equals("process") && !isolation.equals("in-process")) {
            throw new IllegalArgumentException("capsule.host.isolation is process or in-process, not " + isolation);
        }
        positive("workers-ready", workersReady + 1);
        positive("sessions-per-node-max", sessionsPerNodeMax);
        positive("sessions-per-user-max", sessionsPerUserMax);
        positive("idle-seconds", idleSeconds);
        positive("events-per-second-max", eventsPerSecondMax);
        positive("events-burst-max", eventsBurstMax);
        positive("prompt-seconds", promptSeconds);
        positive("message-bytes-max", messageBytesMax);
        positive("grant-seconds-max", grantSecondsMax);
        positive("shell-session-seconds", shellSessionSeconds);
        if (!frameAncestors.matches("[A-Za-z0-9 :/.*'_-]{1,512}") || frameAncestors.contains(";")) {
            throw new IllegalArgumentException("capsule.host.frame-ancestors is a CSP source list such as 'none' or https://app.example");
        }
    }

    public boolean processIsolation() {
        return isolation.equals("process");
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("capsule.host." + name + " must be positive");
        }
    }
}
