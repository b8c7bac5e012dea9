package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.BuildResult;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.server.registry.MiniProgramId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The development preview's launch source ({@code capsule dev DIR}): the package built from the directory with the
 * runtime's {@link MiniProgramBuild} (the one path {@code capsule pack} and {@code run --dev} take; a directory without
 * capsule.json runs under the strictest manifest), offered to demo users only.
 *
 * <p>Security guarantees: the package is unsigned and unreviewed, so this source exists only when
 * {@code capsule.host.preview-directory} is set and the server listens on a loopback address alone
 * ({@link PreviewConfiguration}); it answers demo principals only and never claims the developer is verified. A
 * build error reaches the page as {@code file:line:col message}, escaped, never a stack trace.
 */
public final class PreviewSource implements LaunchSource {
    private final Path dir;
    private final PackageLimits limits;
    private final Clock clock;
    private final Object lock = new Object();
    private PreviewBuild current;

    public PreviewSource(Path dir, PackageLimits limits, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new PreviewBuild(0, clock.instant(), Optional.empty(), Optional.empty());
    }

    /** The directory previewed. */
    public Path directory() {
        return dir;
    }

    /** The newest outcome. */
    public PreviewBuild current() {
        synchronized (lock) {
            return current;
        }
    }

    /**
     * Waits until the outcome's generation passes {@code shown} or {@code millis} pass, and answers the newest outcome
     * (the /dev page's long poll).
     */
    public PreviewBuild awaitAfter(long shown, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (current.generation() <= shown) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            return current;
        }
    }

    /**
     * What a rebuild changed: the apps whose sessions must restart (the new package's, and the old one's when
     * capsule.json's id changed); empty when nothing did (same package bytes) or the build failed.
     */
    public record Change(PreviewBuild outcome, Set<MiniProgramId> restart) {
        public Change {
            Objects.requireNonNull(outcome, "outcome");
            restart = Set.copyOf(restart);
        }
    }

    /** Builds the directory again (one build at a time) and records the outcome. */
    public Change rebuild() {
        synchronized (this) { // builds in order; readers take the short lock only
            Optional<PreviewBuild.Built> before = current().built();
            Optional<PreviewBuild.Failure> failedBefore = current().failure();
            PreviewBuild.Built built;
            try {
                built = build();
            } catch (BuildFailed e) {
                if (failedBefore.equals(Optional.of(e.failure))) {
                    return new Change(current(), Set.of());
                }
                return new Change(publish(before, Optional.of(e.failure)), Set.of());
            }
            boolean samePackage = before.isPresent()
                    && before.get().pkg().digestManifestSha256().equals(built.pkg().digestManifestSha256());
            if (samePackage && failedBefore.isEmpty()) {
                return new Change(current(), Set.of()); // a save that changed no packed byte
            }
            PreviewBuild outcome = publish(Optional.of(samePackage ? before.get() : built), Optional.empty());
            if (samePackage) {
                return new Change(outcome, Set.of()); // fixed by going back to the package that runs
            }
            Set<MiniProgramId> restart = new java.util.HashSet<>(Set.of(built.entry().app()));
            before.ifPresent(old -> restart.add(old.entry().app()));
            return new Change(outcome, restart);
        }
    }

    private PreviewBuild publish(Optional<PreviewBuild.Built> built, Optional<PreviewBuild.Failure> failure) {
        synchronized (lock) {
            current = new PreviewBuild(current.generation() + 1, clock.instant(), built, failure);
            lock.notifyAll();
            return current;
        }
    }

    private PreviewBuild.Built build() throws BuildFailed {
        try {
            BuildResult result = MiniProgramBuild.build(dir, limits, MiniProgramBuild.developmentManifest(dir));
            CapsulePackage pkg = PackageReader.read(result.archive(), limits);
            var manifest = pkg.manifest();
            MiniProgramId app = MiniProgramId.parse(manifest.id()).orElseThrow(() -> new BuildFailed(new PreviewBuild.Failure(
                    "capsule.json", 1, 1, "the id '" + manifest.id() + "' is not one app id (reverse-DNS, lower case, no *)")));
            List<String> warnings = new java.util.ArrayList<>(result.warnings());
            if (result.manifestDefaulted()) {
                warnings.addFirst("no capsule.json: running under the strictest manifest (" + app + "): no network, no personal data");
            }
            CatalogueEntry entry = new CatalogueEntry(app, manifest.name(), manifest.version(), manifest.developer().name(), false);
            return new PreviewBuild.Built(entry, pkg, warnings);
        } catch (BuildException e) {
            throw new BuildFailed(new PreviewBuild.Failure(e.path(), e.line(), e.column(), e.detail()));
        } catch (PackageException e) {
            throw new BuildFailed(new PreviewBuild.Failure("", 0, 0, e.getMessage()));
        } catch (IOException e) {
            throw new BuildFailed(new PreviewBuild.Failure("", 0, 0, "cannot read the directory: " + describe(e)));
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + message);
    }

    @Override
    public Optional<LaunchPlan> plan(ShellPrincipal who, MiniProgramId app) {
        if (!who.demo() || !who.mayOpen(app)) {
            return Optional.empty();
        }
        // Nothing built yet: this source knows no app (the /dev page shows the build error instead of a device).
        return current().built().filter(built -> built.entry().app().equals(app))
                .map(built -> new LaunchPlan.Preview(built.entry(), built.pkg()));
    }

    @Override
    public List<CatalogueEntry> openable(ShellPrincipal who) {
        if (!who.demo()) {
            return List.of();
        }
        return current().built().map(PreviewBuild.Built::entry).filter(e -> who.mayOpen(e.app())).stream().toList();
    }

    /** A build that failed, carried out of {@link #build()}. */
    private static final class BuildFailed extends Exception {
        private final PreviewBuild.Failure failure;

        BuildFailed(PreviewBuild.Failure failure) {
            super(failure.describe(), null, false, false);
            this.failure = failure;
        }
    }
}
