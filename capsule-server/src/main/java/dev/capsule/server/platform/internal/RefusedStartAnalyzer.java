package dev.capsule.server.platform.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start the platform refused on purpose ({@link EmbeddedCluster.Refused}: a data directory of another
 * PostgreSQL version, without its password file, or in use) is an explained failure, not a crash: no
 * stack trace is logged for it; {@code capsule serve} prints its one line.
 */
class RefusedStartAnalyzer extends AbstractFailureAnalyzer<EmbeddedCluster.Refused> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedCluster.Refused cause) {
        return new FailureAnalysis(cause.getMessage(), "See " + EmbeddedCluster.UPGRADE_DOCS + ".", cause);
    }
}
