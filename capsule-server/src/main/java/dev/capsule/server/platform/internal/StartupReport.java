package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.FirstStartNotice;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * What the server says once it is ready: where to reach it, where its data is, the certificate's
 * fingerprint and, on the first start of an installation only, how to sign in.
 */
@Component
public class StartupReport implements ApplicationListener<ApplicationReadyEvent> {
    /** Shown while no module provides a {@link FirstStartNotice}: the truth about signing in today. */
    static final List<String> NO_SIGN_IN = List.of(
            "Signing in: this version has no operator accounts yet, so nothing can sign in;",
            "every API path except /api/v1/health and /api/openapi.json answers 401.");

    private static final Logger log = LoggerFactory.getLogger("capsule");

    private final ServerPorts ports;
    private final CapsuleSettings settings;
    private final DatabaseConfiguration.DatabaseLocation database;
    private final ServerCertificate certificate;
    private final Installation installation;
    private final ObjectProvider<FirstStartNotice> notices;
    private final Residency residency;
    private volatile boolean firstStart;

    StartupReport(ServerPorts ports, CapsuleSettings settings, DatabaseConfiguration.DatabaseLocation database,
            ServerCertificate certificate, Installation installation, ObjectProvider<FirstStartNotice> notices, Residency residency) {
        this.residency = residency;
        this.ports = ports;
        this.settings = settings;
        this.database = database;
        this.certificate = certificate;
        this.installation = installation;
        this.notices = notices;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        firstStart = installation.recordFirstStart();
        for (String line : lines()) {
            log.info(line);
        }
    }

    /** Whether this node's start was the installation's first. */
    public boolean firstStart() {
        return firstStart;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Capsule server is ready at https://localhost:" + ports.https() + "/"
                + (ports.http() < 0 ? " (no plain-HTTP redirect port)" : " (HTTP port " + ports.http() + " redirects to it)"));
        lines.add("Data directory: " + settings.dataDir());
        lines.add("Database: " + database.describe());
        for (RegionalDatabase region : residency.databases()) {
            lines.add("Region " + region.region() + (residency.isHome(region.region()) ? " (home, with the control plane)" : "")
                    + ": " + region.location() + ", tag checked");
        }
        lines.add("TLS certificate" + (certificate.development() ? " (self-signed development certificate " + certificate.certificatePem() + ")"
                : " " + certificate.certificatePem()) + ": SHA-256 " + certificate.fingerprint());
        if (firstStart) {
            List<FirstStartNotice> provided = notices.orderedStream().toList();
            if (provided.isEmpty()) {
                lines.addAll(NO_SIGN_IN);
            } else {
                provided.forEach(notice -> lines.addAll(notice.lines()));
            }
        }
        return lines;
    }
}
