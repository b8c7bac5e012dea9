package dev.capsule.cli;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.view.AssetSource;
import dev.capsule.runtime.view.HtmlRenderer;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewPackage;
import dev.capsule.runtime.view.ViewSnapshot;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.WxssException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capsule render}: runs a mini-program as {@code capsule run} does ({@link SessionCommand}), then writes
 * the page on top of the stack as one self-contained HTML document ({@link HtmlRenderer}: inline CSS, no script,
 * images as {@code data:} URIs of package files); with {@code --ops}, the view batches as JSON lines
 * ({@link ViewBatchJson}).
 *
 * <p>Security guarantees: the document is the runtime's {@link HtmlRenderer} output over the host-side view
 * tree (every op validated when applied), with CSS only from {@link StyleSet} (re-serialized, scoped) and
 * images only from the package; the CLI adds no markup of its own. Nothing is written for a run that ended in
 * a violation.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Run a mini-program as 'capsule run' does, then write the current page as one self-contained HTML file",
            "(inline CSS, no script, images as package data URIs). --events may tap elements by selector: [{\"tap\": \"#add\"}].",
            "Exit 0: ran to the end and the page was written; 1: rejected, a violation, or the file cannot be written; 2: usage error."})
final class RenderCommand extends SessionCommand {
    static final String OUT_DEFAULT = "page.html";

    @Option(names = "--out", paramLabel = "PAGE.html", description = "Where to write the page (default " + OUT_DEFAULT + ").")
    Path out = Path.of(OUT_DEFAULT);

    @Option(names = "--ops", description = "Print the run's lines as JSON (as --json), with one 'view' line per batch of view operations.")
    boolean ops;

    @Override
    RunOutput output() {
        return new RunOutput(spec.commandLine().getOut(), json || ops, ops);
    }

    @Override
    int run(RunOutput output) throws CliFailure {
        if (release.given()) {
            throw CliFailure.usage("render takes a package or a directory (the page's styles and images come from it); run --from runs a release");
        }
        return runSession(checkOptions(TOTAL_SECONDS_MAX), output);
    }

    @Override
    boolean afterScript(MiniProgramSession session, Optional<CapsulePackage> pkg, boolean inTime, long deadlineNanos, RunOutput output,
            boolean violated) throws CliFailure {
        if (violated || (session.ended() && session.exitCode() != 0)) {
            output.note("warn", "the session ended for a violation or an error: no page written");
            return inTime;
        }
        String route = session.currentRoute();
        Optional<ViewSnapshot> view = session.view();
        if (route == null || view.isEmpty()) {
            throw CliFailure.rejected(route == null ? "no page to render: the mini-program opened none" : "no page to render: " + route + " has no view");
        }
        Map<String, byte[]> files = files(pkg.orElseThrow());
        AssetSource assets = AssetSource.of(files);
        // Package images only: the document's CSP loads nothing but data: images, so an https image has no source here.
        String html = new HtmlRenderer(HtmlRenderer.WIDTH_DEFAULT).render(view.get(), UrlPolicy.PACKAGE_ONLY, css(pkg.get(), route, assets), assets);
        CliIo.writeAtomically(out, html.getBytes(StandardCharsets.UTF_8));
        output.note("info", "wrote " + route + " to " + out);
        return inTime;
    }

    private static Map<String, byte[]> files(CapsulePackage pkg) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        pkg.paths().forEach(path -> files.put(path, pkg.file(path)));
        return files;
    }

    /** The page's CSS (app, the page, then every component of the package: {@link ViewPackage#pageCss}). */
    private static String css(CapsulePackage pkg, String route, AssetSource assets) throws CliFailure {
        try {
            return ViewPackage.of(pkg).map(view -> view.pageCss(route, assets)).orElse("");
        } catch (WxssException | WxmlException e) {
            throw CliFailure.rejected(e.getMessage());
        }
    }
}
