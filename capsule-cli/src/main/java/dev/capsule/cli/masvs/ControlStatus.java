package dev.capsule.cli.masvs;

import java.util.Arrays;
import java.util.Optional;

/** How far Capsule meets a MASVS control, as the catalogue claims it (docs/compliance.md "MASVS report"). */
public enum ControlStatus {
    /** Met: the named tests show it. */
    MET("met"),
    /** Met in part: the named tests show the part that is met; the reason names the gap. */
    PARTLY("partly"),
    /** Not met: the reason says why; no test is claimed. */
    NOT_MET("not met"),
    /** Does not apply to a server-side container: the reason says why; no test is claimed. */
    NOT_APPLICABLE("not applicable");

    private final String label;

    ControlStatus(String label) {
        this.label = label;
    }

    /** The words the report prints. */
    public String label() {
        return label;
    }

    /** The catalogue's spelling: the label with a hyphen ({@code not-met}). */
    public String code() {
        return label.replace(' ', '-');
    }

    /** Whether a control of this status claims evidence from tests (and so must name at least one). */
    public boolean claimsTests() {
        return this == MET || this == PARTLY;
    }

    static Optional<ControlStatus> ofCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code().equals(code)).findFirst();
    }
}
