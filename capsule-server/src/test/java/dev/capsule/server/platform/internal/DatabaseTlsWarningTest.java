package dev.capsule.server.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --db-url} to another host without TLS gets a warning at start; loopback and TLS-required URLs do not. */
class DatabaseTlsWarningTest {

    @Test
    void remoteHostWithoutTlsIsWarnedAbout() {
        assertThat(warning("jdbc:postgresql://db.example:5432/capsule")).hasValueSatisfying(line -> assertThat(line)
                .isEqualTo("The database at jdbc:postgresql://db.example:5432/capsule is reached without TLS: add sslmode=verify-full "
                        + "(or sslmode=require) to --db-url, or its traffic, password included, can be read and changed on the way "
                        + "(docs/server.md)"));
        assertThat(warning("jdbc:postgresql://db.example/capsule?sslmode=prefer")).isPresent();
        assertThat(warning("jdbc:postgresql://db.example/capsule?sslmode=disable")).isPresent();
        assertThat(warning("jdbc:postgresql://localhost:5432,db.example:5432/capsule")).isPresent();
        // The warning never prints what the URL may carry.
        assertThat(warning("jdbc:postgresql://alice:s3cret@db.example/capsule?password=s3cret").orElseThrow()).doesNotContain("s3cret");
        // A region's database (--region-db) gets the same check, naming its flag.
        assertThat(DatabaseConfiguration.plaintextWarning("jdbc:postgresql://eu.db.example/capsule", "--region-db", host -> false))
                .hasValueSatisfying(line -> assertThat(line).contains("The database at jdbc:postgresql://eu.db.example/capsule is reached "
                        + "without TLS").contains("to --region-db,"));
        assertThat(DatabaseConfiguration.plaintextWarning("jdbc:postgresql://eu.db.example/capsule?sslmode=verify-full", "--region-db",
                host -> false)).isEmpty();
    }

    @Test
    void tlsRequiredOrLoopbackIsNotWarnedAbout() {
        assertThat(warning("jdbc:postgresql://db.example:5432/capsule?sslmode=verify-full")).isEmpty();
        assertThat(warning("jdbc:postgresql://db.example/capsule?ssl=true&sslmode=require")).isEmpty();
        assertThat(warning("jdbc:postgresql://db.example/capsule?sslmode=VERIFY-CA")).isEmpty();
        assertThat(warning("jdbc:postgresql://localhost:5432/capsule")).isEmpty();
        assertThat(warning("jdbc:postgresql://127.0.0.1/capsule")).isEmpty();
        assertThat(warning("jdbc:postgresql://[::1]:5432/capsule")).isEmpty();
        assertThat(warning("jdbc:postgresql:capsule")).isEmpty();
    }

    private static java.util.Optional<String> warning(String url) {
        // Name resolution of a test host is this machine's business; only these names count as loopback here.
        return DatabaseConfiguration.plaintextWarning(url, host -> host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1"));
    }
}
