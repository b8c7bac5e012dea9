package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.SecurityContribution;
import dev.capsule.server.registry.MiniProgramId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Test-only beans for the host's session tests (never part of the server):
 * <ul>
 *   <li>a shell sign-in by header ({@value #USER_HEADER}: the shell user id) on {@code /shell/**}, standing in for the
 *       grant exchange and cookie (tested on their own), producing the real {@link ShellAuthentication};
 *   <li>a launch source of development-preview plans over real directories (the examples, and fixture mini-programs
 *       a test writes), built with the runtime's one build path as {@code capsule dev} builds them;
 *   <li>a recorder of the {@link HostEvent}s the host publishes.
 * </ul>
 */
@TestConfiguration(proxyBeanMethods = false)
public class ShellTestBeans {
    public static final String USER_HEADER = "X-Test-Shell-User";
    /** Seconds until the test shell session expires (default an hour). */
    public static final String SECONDS_HEADER = "X-Test-Shell-Seconds";
    /** The region of the test shell user: the installation's default home region. */
    static final RegionId TEST_HOME = new RegionId("local");

    /** Mini-programs the test source knows: app id → source directory. */
    public static final Map<String, Path> DIRECTORIES = new ConcurrentHashMap<>();

    @Bean
    SecurityContribution testShellSignIn() {
        return new SecurityContribution() {
            @Override
            public void configure(HttpSecurity http) {
                http.addFilterBefore(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        String user = request.getHeader(USER_HEADER);
                        if (user != null && request.getRequestURI().startsWith("/shell/")) {
                            String seconds = request.getHeader(SECONDS_HEADER);
                            SecurityContextHolder.getContext().setAuthentication(new ShellAuthentication(new ShellPrincipal(
                                    new ShellUserId(user), Optional.empty(), false,
                                    Instant.now().plusSeconds(seconds == null ? 3600 : Long.parseLong(seconds)), TEST_HOME)));
                        }
                        chain.doFilter(request, response);
                    }
                }, AnonymousAuthenticationFilter.class);
            }
        };
    }

    @Bean
    @Order(0)
    LaunchSource testPreviewSource() {
        Map<Path, CapsulePackage> built = new ConcurrentHashMap<>();
        return new LaunchSource() {
            @Override
            public Optional<LaunchPlan> plan(ShellPrincipal who, MiniProgramId app) {
                Path dir = DIRECTORIES.get(app.value());
                if (dir == null) {
                    return Optional.empty();
                }
                CapsulePackage pkg = built.computeIfAbsent(dir, ShellTestBeans::build);
                return Optional.of(new LaunchPlan.Preview(entry(app, pkg), pkg));
            }

            @Override
            public List<CatalogueEntry> openable(ShellPrincipal who) {
                return DIRECTORIES.entrySet().stream()
                        .map(e -> entry(new MiniProgramId(e.getKey()), built.computeIfAbsent(e.getValue(), ShellTestBeans::build)))
                        .toList();
            }
        };
    }

    @Bean
    HostEvents hostEvents() {
        return new HostEvents();
    }

    /** The host events published in this context, in order. */
    public static final class HostEvents {
        public final List<HostEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HostEvent event) {
            events.add(event);
        }

        public List<HostEvent> of(HostEvent.What kind, ShellUserId user) {
            return events.stream().filter(e -> e.kind() == kind && e.user().equals(Optional.of(user))).toList();
        }
    }

    static CatalogueEntry entry(MiniProgramId app, CapsulePackage pkg) {
        return new CatalogueEntry(app, pkg.manifest().name(), pkg.manifest().version(), "Test developer", false);
    }

    static CapsulePackage build(Path dir) {
        try {
            return PackageReader.read(MiniProgramBuild.build(dir, PackageLimits.DEFAULTS).archive());
        } catch (Exception e) {
            throw new IllegalStateException("test mini-program " + dir + " does not build: " + e.getMessage(), e);
        }
    }

    /**
     * The payment fixture's page ({@code host/pay}: a "Pay <name>" button per order, {@code wx.requestPayment} with it,
     * "result <asking|ok|fail> <name> …"), path → text, with the merchant's orders ({@code {"name": {timeStamp, nonceStr,
     * package, signType, paySign}}}) written in.
     */
    public static Map<String, String> payPages(String orders) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String name : List.of("index.js", "index.json", "index.wxml")) {
            try (var in = ShellTestBeans.class.getResourceAsStream("/host/pay/pages/index/" + name)) {
                files.put("pages/index/" + name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("__ORDERS__", orders));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    /** Writes a fixture mini-program (path → text) into a fresh directory and registers it under {@code appId}. */
    public static Path fixture(String appId, Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory("capsule-host-fixture");
        for (var file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        DIRECTORIES.put(appId, dir);
        return dir;
    }
}
