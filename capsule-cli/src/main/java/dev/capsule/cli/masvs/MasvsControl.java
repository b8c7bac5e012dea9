package dev.capsule.cli.masvs;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One MASVS v2 control and Capsule's evidence for it.
 *
 * @param id            the control's id, {@code MASVS-<GROUP>-<n>}
 * @param statement     what the control asks, in Capsule's own short words
 * @param status        what Capsule claims
 * @param reason        the gap (partly) or why not (not met, not applicable); empty only for met
 * @param tests         fully qualified test classes that prove the claim; at least one when {@link ControlStatus#claimsTests},
 *                      none otherwise (a control that is not met claims nothing)
 * @param configuration configuration facts behind the claim
 * @param logProofs     audit log entry types that show the control working in production
 */
public record MasvsControl(String id, String statement, ControlStatus status, Optional<String> reason, List<String> tests,
        List<String> configuration, List<LogProof> logProofs) {
    static final Pattern ID = Pattern.compile("MASVS-(STORAGE|CRYPTO|AUTH|NETWORK|PLATFORM|CODE|RESILIENCE|PRIVACY)-[1-9]");
    /** A Java class name with its package: lower-case package segments, then the class (nested with {@code $}). */
    static final Pattern TEST_CLASS = Pattern.compile("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(\\$[A-Z][A-Za-z0-9_]*)*");
    static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    /**
     * An audit entry type and what its entries show for this control.
     *
     * @param event the entry type, as docs/audit-events.md lists it
     */
    public record LogProof(String event, String shows) {
        public LogProof {
            if (!EVENT.matcher(event).matches()) {
                throw new IllegalArgumentException("not an audit entry type: " + event);
            }
            requireText(shows, "shows");
        }
    }

    public MasvsControl {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a MASVS v2 control id: " + id);
        }
        requireText(statement, id + " statement");
        tests = List.copyOf(tests);
        configuration = List.copyOf(configuration);
        logProofs = List.copyOf(logProofs);
        reason.ifPresent(r -> requireText(r, id + " reason"));
        configuration.forEach(c -> requireText(c, id + " configuration"));
        if (status == ControlStatus.MET && reason.isPresent()) {
            throw new IllegalArgumentException(id + ": a met control has no reason (did you mean partly?)");
        }
        if (status != ControlStatus.MET && reason.isEmpty()) {
            throw new IllegalArgumentException(id + ": a control that is " + status.label() + " needs a reason");
        }
        if (status.claimsTests() && tests.isEmpty()) {
            throw new IllegalArgumentException(id + ": a control that is " + status.label() + " names the tests that show it");
        }
        if (!status.claimsTests() && !tests.isEmpty()) {
            throw new IllegalArgumentException(id + ": a control that is " + status.label() + " claims no tests");
        }
        for (String test : tests) {
            if (!TEST_CLASS.matcher(test).matches()) {
                throw new IllegalArgumentException(id + ": not a fully qualified class name: " + test);
            }
        }
        if (new HashSet<>(tests).size() != tests.size()) {
            throw new IllegalArgumentException(id + ": a test is named twice");
        }
    }

    /** The control's group, {@code STORAGE} for {@code MASVS-STORAGE-1}. */
    public String group() {
        return id.substring("MASVS-".length(), id.lastIndexOf('-'));
    }

    private static void requireText(String text, String what) {
        if (text == null || text.isBlank() || text.length() > MasvsCatalogue.TEXT_CHARS_MAX) {
            throw new IllegalArgumentException(what + ": expected text of 1 to " + MasvsCatalogue.TEXT_CHARS_MAX + " characters");
        }
    }
}
