package dev.capsule.runtime.internal;

import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.ViewOpException;
import dev.capsule.runtime.view.ViewSnapshot;
import dev.capsule.runtime.view.ViewTree;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The host's copy of a session's pages as rendered: one {@link ViewTree} per open page, fed by the
 * batches the session's view engine produces, in both tiers (in-process directly, from a worker's
 * VIEW frames). Each batch passes its page's tree before it is reported as a
 * {@link RuntimeEvent.View}: the host reports only what it validated and applied.
 *
 * <p>Security guarantees: every op is checked by {@link ViewTree#apply} (closed op set, tag, attribute,
 * style and URL allowlists, caps); a refused batch changes nothing and is never reported; at most
 * {@link #pagesMax} trees exist at once. What a refusal means is the caller's: a violation that ends a
 * worker, an internal failure that ends an in-process session.
 */
final class PageViews {
    private final SessionOutput output;
    private final ViewLimits limits;
    private final UrlPolicy urls;
    private final int pagesMax;
    private final Map<Integer, ViewTree> trees = new HashMap<>();
    /** Each tree's route (a page's batches all name its route). */
    private final Map<Integer, String> routes = new HashMap<>();
    private final int stackDepthMax;
    private int shown;
    /** The stack's size when {@link #shown} was reported. */
    private int depth;

    /** @param pageStackDepthMax the session's page stack limit: trees for it plus every tab page may exist */
    PageViews(SessionOutput output, ViewLimits limits, UrlPolicy urls, int pageStackDepthMax) {
        this.output = output;
        this.limits = limits;
        this.urls = urls;
        this.pagesMax = pageStackDepthMax + ChromeField.TAB_BAR_ITEMS_MAX;
        this.stackDepthMax = pageStackDepthMax;
    }

    /** The deepest stack a session may report. */
    int stackDepthMax() {
        return stackDepthMax;
    }

    /**
     * The images a session's views may name: package assets, and {@code https://} on port 443 of the
     * hosts the manifest allowlists for downloadFile (the hosts it may fetch files from at all).
     */
    static UrlPolicy urls(dev.capsule.core.manifest.CapsuleManifest manifest) {
        var hosts = new java.util.TreeSet<String>();
        for (var h : manifest.network().downloadFile()) {
            if (h.port() == dev.capsule.core.manifest.HostName.DEFAULT_PORT) {
                hosts.add(h.host().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new UrlPolicy(hosts);
    }

    /** Applies a page's batch to its tree (made at the page's first batch) and reports it; refused: nothing changes. */
    synchronized void apply(int page, String route, ViewBatch batch) {
        ViewTree tree = trees.get(page);
        if (tree == null) {
            if (trees.size() >= pagesMax) {
                throw new ViewOpException("more than " + pagesMax + " pages have views");
            }
            tree = new ViewTree(limits, urls);
            tree.apply(batch);
            trees.put(page, tree);
            routes.put(page, route);
        } else {
            tree.apply(batch);
        }
        output.emit(new RuntimeEvent.View(route, batch));
    }

    /** The page is on top of a stack of {@code depth} pages: {@link #current} answers its tree. */
    synchronized void shown(int page, int depth) {
        this.shown = page;
        this.depth = depth;
    }

    /** The page closed: its tree is dropped. */
    synchronized void closed(int page) {
        trees.remove(page);
        routes.remove(page);
    }

    /** Whether the stack, as last reported, has more than one page. */
    synchronized boolean canGoBack() {
        return depth > 1;
    }

    /** The page on top with its tree, route and whether the back arrow applies, if it has a view. */
    synchronized Optional<dev.capsule.runtime.view.ShownPage> shownPage() {
        ViewTree tree = trees.get(shown);
        return tree == null ? Optional.empty() : Optional.of(new dev.capsule.runtime.view.ShownPage(shown, routes.get(shown), tree.snapshot(), depth > 1));
    }

    /**
     * Checks a host's view event against the page on top as the host holds it ({@link ViewTree#check}:
     * an element of the page, a type it may emit); a refusal is a {@link ViewOpException}.
     */
    synchronized void check(dev.capsule.runtime.view.ViewEvent event) {
        ViewTree tree = trees.get(shown);
        if (tree == null) {
            throw new ViewOpException("the current page has no view");
        }
        tree.check(event);
    }

    /** A snapshot of the page on top of the stack, if it has a view. */
    synchronized Optional<ViewSnapshot> current() {
        ViewTree tree = trees.get(shown);
        return tree == null ? Optional.empty() : Optional.of(tree.snapshot());
    }
}
