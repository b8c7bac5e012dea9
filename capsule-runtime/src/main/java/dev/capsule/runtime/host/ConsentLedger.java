package dev.capsule.runtime.host;

import dev.capsule.core.manifest.PrivacyDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Keeps users' consent decisions per (app, user, scope): each made for a purpose text shown to the user and a version
 * of the mini-program's privacy text ({@link PrivacyDigest}), and withdrawable by the user in the host's settings.
 * The runtime reads it on every personal-data call, so a withdrawal holds from the next call of a running session.
 *
 * <p>What a decision answers is decided in one place, {@link Decision#answers}: a grant or a denial holds only for the
 * privacy text it was made under (another digest counts as no decision, so the user is asked again); a withdrawal
 * denies without asking, whatever the text, until the user allows the scope again ({@link #allow}).
 *
 * <p>Security guarantees (every implementation): a scope outside {@link #SCOPE}, a purpose longer than
 * {@link #PURPOSE_CHARS_MAX} or blank ids are refused ({@link IllegalArgumentException}), never stored; at most
 * {@link #SCOPES_MAX} scopes are remembered per (app, user): a decision on a further scope is not remembered, so it
 * is asked again next time (fail closed: the call it answered is decided by the answer, nothing else).
 */
public interface ConsentLedger {
    /** Most remembered scopes per (mini-program, user); the runtime knows fewer than 20 scopes. */
    int SCOPES_MAX = 64;
    /**
     * Characters of a purpose text: the privacy agreement's text joins every declaration's data and purpose (at most
     * three declarations of 200 + 200 characters, capsule.json's limits), so 2,000 holds any text a prompt shows.
     */
    int PURPOSE_CHARS_MAX = 2_000;
    /** A scope: 1-64 letters, digits and {@code . _ : -}. */
    Pattern SCOPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** What the user decides about: the scope, the purpose text shown with the question, the privacy text's version. */
    record Topic(String scope, String purpose, PrivacyDigest privacy) {
        public Topic {
            requireScope(scope);
            requirePurpose(purpose);
            Objects.requireNonNull(privacy, "privacy");
        }
    }

    /** Where a scope stands. */
    enum State {
        /** Allowed (at a prompt, or again in settings). */
        GRANTED,
        /** Refused at a prompt. */
        DENIED,
        /** Withdrawn by the user in settings: denied without asking until allowed again in settings. */
        WITHDRAWN
    }

    /**
     * The current decision on one scope.
     *
     * @param purpose the purpose text shown when it was made (empty for a decision kept from before purposes were
     *                recorded)
     * @param privacy the privacy text's version it was made under (empty for such an older decision: it answers
     *                nothing, so the user is asked again)
     */
    record Decision(String scope, State state, String purpose, Optional<PrivacyDigest> privacy, Instant decidedAt) {
        public Decision {
            requireScope(scope);
            Objects.requireNonNull(state, "state");
            requirePurpose(purpose);
            Objects.requireNonNull(privacy, "privacy");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }

        /**
         * What this decision answers for a call under the privacy text {@code current}: empty (ask the user) when it
         * was made under another text; false when withdrawn, whatever the text.
         */
        public Optional<Boolean> answers(PrivacyDigest current) {
            Objects.requireNonNull(current, "current");
            return switch (state) {
                case WITHDRAWN -> Optional.of(false);
                case GRANTED, DENIED -> privacy.filter(current::equals).map(made -> state == State.GRANTED);
            };
        }
    }

    /** The current decision on {@code scope}, whatever text it was made under. */
    Optional<Decision> current(String appId, String userId, String scope);

    /** Every current decision for (app, user), by scope (at most {@link #SCOPES_MAX}). */
    SortedMap<String, Decision> decisions(String appId, String userId);

    /** Records the user's answer to a prompt about {@code topic}. */
    void record(String appId, String userId, Topic topic, boolean granted);

    /**
     * The user withdraws {@code scope} in the host's settings: from the next call it is denied without a prompt.
     * False (nothing changed) when there is no decision on it or it is already withdrawn.
     */
    boolean withdraw(String appId, String userId, String scope);

    /**
     * The user allows {@code scope} again in the host's settings, for the purpose and privacy text of the current
     * decision (if that text has changed since, the next call asks). False when there is no decision on it or it is
     * already granted.
     */
    boolean allow(String appId, String userId, String scope);

    /** What the current decision answers for a call under {@code privacy}; empty: ask the user. */
    default Optional<Boolean> decision(String appId, String userId, String scope, PrivacyDigest privacy) {
        return current(appId, userId, scope).flatMap(decision -> decision.answers(privacy));
    }

    /** @throws IllegalArgumentException unless {@code scope} matches {@link #SCOPE} */
    static String requireScope(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("a consent scope is 1-64 characters of letters, digits and . _ : -");
        }
        return scope;
    }

    private static void requirePurpose(String purpose) {
        if (purpose == null || purpose.length() > PURPOSE_CHARS_MAX) {
            throw new IllegalArgumentException("a consent purpose is at most " + PURPOSE_CHARS_MAX + " characters");
        }
    }
}
