package dev.capsule.server.host;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One hosted mini-program session on a node: 128 random bits as 32 lower-case hex digits. The browser presents it to
 * resume after a reconnect; it is accepted only together with the shell session that opened it.
 */
public record HostedSessionId(String value) {
    private static final Pattern RULE = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public HostedSessionId {
        Objects.requireNonNull(value, "value");
        if (!RULE.matcher(value).matches()) {
            throw new IllegalArgumentException("a hosted session id is 32 lower-case hex digits");
        }
    }

    public static HostedSessionId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new HostedSessionId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
