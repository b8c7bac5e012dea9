package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.server.registry.MiniProgramId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import dev.capsule.server.platform.SecurityContribution;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The development preview ({@code capsule dev DIR}, docs/host.md "Development preview"): present only when
 * {@code capsule.host.preview-directory} is set. Builds the directory once at start, then on every change the
 * {@link PreviewWatcher} sees, and restarts the app's sessions on this node ({@link HostedSessions#restart}) when the
 * package changed; their browsers reconnect to a session of the new package.
 *
 * <p>Security guarantees: the preview refuses to start unless demo users are on and the server listens on a loopback
 * address only ({@code server.address}; {@code capsule dev} sets 127.0.0.1), since it runs unsigned, unreviewed code
 * for whoever connects.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "capsule.host", name = "preview-directory")
class PreviewConfiguration {
    private static final Logger log = LoggerFactory.getLogger("capsule");
    static final String RESTART_REASON = "rebuilt";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    PreviewSource previewSource(HostSettings settings, @Value("${server.address:}") String address) {
        refuseUnlessLocal(settings, address);
        if (settings.previewDirectory() == null) {
            throw new IllegalStateException("capsule.host.preview-directory is empty: name the directory to preview");
        }
        PreviewSource source = new PreviewSource(settings.previewDirectory().toAbsolutePath().normalize(), PackageLimits.DEFAULTS,
                Clock.systemUTC());
        report(source.rebuild().outcome(), 0);
        return source;
    }

    @Bean(destroyMethod = "close")
    PreviewWatcher previewWatcher(PreviewSource source, HostedSessions sessions, @Value("${capsule.data-dir}") Path dataDir) {
        try {
            Path data = Files.exists(dataDir) ? dataDir.toRealPath() : dataDir.toAbsolutePath().normalize();
            PreviewWatcher watcher = new PreviewWatcher(source.directory(), Set.of(data), () -> rebuild(source, sessions));
            watcher.start();
            return watcher;
        } catch (IOException e) {
            throw new UncheckedIOException("capsule dev: cannot watch " + source.directory() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code /dev} is reachable without a shell session (it signs the demo user in); {@code /dev/build} and everything
     * else under {@code /dev/} need the demo user's shell session.
     */
    @Bean
    SecurityContribution previewSecurity() {
        return new SecurityContribution() {
            @Override
            public List<String> publicPaths() {
                return List.of(DevPreviewController.PAGE);
            }

            @Override
            public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
                rules.requestMatchers("/dev/**").hasAuthority(ShellAuthentication.AUTHORITY);
            }
        };
    }

    /** Says where the preview is once the server listens (after the platform's own start-up lines). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> previewReady(PreviewSource source, Environment environment) {
        return event -> log.info("Development preview of {}: open https://localhost:{}{} (demo user, this machine only)",
                source.directory(), environment.getProperty("local.server.port", "?"), DevPreviewController.PAGE);
    }

    static void rebuild(PreviewSource source, HostedSessions sessions) {
        long started = System.nanoTime();
        PreviewSource.Change change = source.rebuild();
        for (MiniProgramId app : change.restart()) {
            sessions.restart(app, RESTART_REASON);
        }
        if (!change.restart().isEmpty() || change.outcome().failure().isPresent()) {
            report(change.outcome(), (System.nanoTime() - started) / 1_000_000L);
        }
    }

    private static void report(PreviewBuild outcome, long millis) {
        if (outcome.failure().isPresent()) {
            log.warn("Preview: the build failed: {}", outcome.failure().get().describe());
        } else if (outcome.built().isPresent()) {
            log.info("Preview: built {}{}", outcome.built().get().entry().app(), millis > 0 ? " in " + millis + " ms" : "");
        }
    }

    /** The preview is one developer's, on their machine: demo users and a loopback address, or no start. */
    static void refuseUnlessLocal(HostSettings settings, String address) {
        if (!settings.demoUsers()) {
            throw new IllegalStateException("capsule.host.preview-directory needs capsule.host.demo-users=true (use capsule dev DIR)");
        }
        if (address == null || address.isBlank() || !loopback(address.strip())) {
            throw new IllegalStateException("capsule.host.preview-directory runs unsigned code: the server must listen on a loopback "
                    + "address only (server.address=127.0.0.1; capsule dev DIR sets it)");
        }
    }

    private static boolean loopback(String address) {
        try {
            // Only literal addresses and names that resolve to loopback alone; a name is resolved as Tomcat will.
            for (InetAddress resolved : InetAddress.getAllByName(address)) {
                if (!resolved.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
