package dev.capsule.core.osv;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CVSS v3.0/v3.1 base score of a vector string, by the formulas of the CVSS v3.1 specification §7.1 (with its
 * Roundup of Appendix A). Temporal and environmental metrics may follow and are ignored: OSV carries base vectors.
 */
public final class Cvss3 {
    /** A CVSS v3 vector with every optional metric is about 150 characters. */
    static final int VECTOR_CHARS_MAX = 256;
    private static final List<String> BASE = List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
    private static final List<String> OPTIONAL = List.of("E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA");

    private Cvss3() {}

    /** The base score 0.0–10.0, or empty when the vector is not a well-formed CVSS v3 vector. */
    public static Optional<Double> baseScore(String vector) {
        if (vector.length() > VECTOR_CHARS_MAX || !(vector.startsWith("CVSS:3.0/") || vector.startsWith("CVSS:3.1/"))) {
            return Optional.empty();
        }
        Map<String, String> metrics = new HashMap<>();
        for (String part : vector.substring("CVSS:3.x/".length()).split("/", -1)) {
            int colon = part.indexOf(':');
            if (colon <= 0 || metrics.putIfAbsent(part.substring(0, colon), part.substring(colon + 1)) != null) {
                return Optional.empty();
            }
            String name = part.substring(0, colon);
            if (!BASE.contains(name) && !OPTIONAL.contains(name)) {
                return Optional.empty();
            }
        }
        if (!metrics.keySet().containsAll(BASE)) {
            return Optional.empty();
        }
        boolean changed;
        switch (metrics.get("S")) {
            case "U" -> changed = false;
            case "C" -> changed = true;
            default -> {
                return Optional.empty();
            }
        }
        double av = weight(metrics.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
        double ac = weight(metrics.get("AC"), "L", 0.77, "H", 0.44);
        double pr = weight(metrics.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
        double ui = weight(metrics.get("UI"), "N", 0.85, "R", 0.62);
        double c = weight(metrics.get("C"), "H", 0.56, "L", 0.22, "N", 0);
        double i = weight(metrics.get("I"), "H", 0.56, "L", 0.22, "N", 0);
        double a = weight(metrics.get("A"), "H", 0.56, "L", 0.22, "N", 0);
        if (Double.isNaN(av + ac + pr + ui + c + i + a)) {
            return Optional.empty();
        }
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return Optional.of(0.0);
        }
        double score = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
        return Optional.of(roundUp(score));
    }

    /** CVSS v3.1 Appendix A: the smallest one-decimal number at or above the input, free of floating-point error. */
    private static double roundUp(double value) {
        long integer = Math.round(value * 100_000);
        return integer % 10_000 == 0 ? integer / 100_000.0 : (Math.floor(integer / 10_000.0) + 1) / 10.0;
    }

    /** The weight for {@code value} from alternating (code, weight) pairs; NaN for a code not listed. */
    private static double weight(String value, Object... pairs) {
        for (int k = 0; k < pairs.length; k += 2) {
            if (pairs[k].equals(value)) {
                return ((Number) pairs[k + 1]).doubleValue();
            }
        }
        return Double.NaN;
    }
}
