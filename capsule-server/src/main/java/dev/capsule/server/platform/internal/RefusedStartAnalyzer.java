package dev.capsule.server.platform.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start the platform refused on purpose ({@link RefusedStart}: a data directory of another PostgreSQL version, without
 * its password file, or in use ({@link EmbeddedCluster.Refused}); a database tagged with another region, a region that
 * cannot be configured ({@code RegionalDatabases})) is an explained failure, not a crash: no stack trace is logged for
 * it; {@code capsule serve} prints its one line.
 */
class RefusedStartAnalyzer extends AbstractFailureAnalyzer<RefusedStart> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RefusedStart cause) {
        return new FailureAnalysis(cause.getMessage(), "See " + cause.docs() + ".", cause);
    }
}
