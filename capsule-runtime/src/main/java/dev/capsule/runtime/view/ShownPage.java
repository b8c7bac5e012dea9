package dev.capsule.runtime.view;

import java.util.Objects;

/**
 * The page on top of a session's stack as the host holds it ({@code MiniProgramSession.shownPage()}): what a
 * host needs to draw the whole page with its chrome, read at once.
 *
 * @param page      the page instance's id in its session: a page opened twice has two ids, a page shown again
 *                  (after a back or a tab switch) keeps its id
 * @param route     the page's route ({@code pages/index/index})
 * @param view      its view tree as the host validated it
 * @param canGoBack whether the stack holds more than this page (the host's back arrow applies)
 */
public record ShownPage(int page, String route, ViewSnapshot view, boolean canGoBack) {
    public ShownPage {
        if (page <= 0) {
            throw new IllegalArgumentException("page id must be positive, got " + page);
        }
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(view, "view");
    }
}
