package dev.capsule.runtime;

import java.time.Duration;

/**
 * One running mini-program for one user: its own sandboxed JavaScript context, event loop, page
 * stack and storage area. Methods may be called from any thread; the work runs on the session's
 * own thread, and events reach the {@link EventSink} given at launch.
 */
public interface MiniProgramSession extends AutoCloseable {
    /**
     * Queues a view event: calls {@code handler} on the page at {@code route} (null: the current page)
     * with an event object built from {@code eventJson} ({"type", "detail", "target", "currentTarget"}).
     */
    void dispatch(String handler, String route, String eventJson);

    /**
     * Queues a user interaction with a node of the current page's view (a tap, an input): the session
     * resolves it to the handlers the page's templates bind, exactly as a real one (capture and bubble
     * phases, {@code catch}, {@code mut-bind}, marks, dataset, across custom components), runs them as
     * one event, and reports the page's new batch ({@link RuntimeEvent.View}). An event for a node the
     * page does not have, or when the current page has no view, runs nothing (an error line). A host that
     * answers refusals itself checks {@link #view()}'s {@link dev.capsule.runtime.view.ViewSnapshot#check} first:
     * the same rule the session applies here.
     *
     * <p>Security guarantees: the event is a checked record ({@link dev.capsule.runtime.view.ViewEvent});
     * only handlers the templates bind run, with an event object the session builds.
     */
    void dispatchView(dev.capsule.runtime.view.ViewEvent event);

    /**
     * The current page's view as the host holds it: the tree every reported batch was validated
     * against and applied to; empty before the first page renders or when the current page has no template.
     */
    java.util.Optional<dev.capsule.runtime.view.ViewSnapshot> view();

    /**
     * The page on top of the stack as the host holds it, with what the host's chrome needs to draw it: one
     * consistent read (the same page's id, route, tree and whether the back arrow applies). Empty before the
     * first page renders and while the page on top has no template. A page opened twice (the same route
     * pushed again) has two ids, so a host can tell a navigation from a change of the same page.
     */
    java.util.Optional<dev.capsule.runtime.view.ShownPage> shownPage();

    /**
     * Whether the host's back arrow applies: the page stack holds more than one page (as WeChat's navigation
     * bar shows its back arrow). False before the first page and after the session ended.
     *
     * <p>Security guarantees: with process isolation the stack depth is what the worker reported; a worker
     * that lies only shows or hides its own back arrow (a back at the first page does nothing).
     */
    boolean canGoBack();

    /**
     * The host's back arrow, as WeChat's navigation bar: queues a back by one page (the top page's
     * {@code onUnload}, the one below's {@code onShow}), run after the current event like {@code wx.navigateBack}.
     * Returns false and queues nothing when {@link #canGoBack()} is false; a queued back finds the stack at one
     * page (the guest navigated meanwhile) and does nothing.
     */
    boolean navigateBack();

    /**
     * The host's tab bar: switches to the tab at {@code index} of app.json's {@code tabBar.list}, as a tap on a
     * WeChat tab item: {@code wx.switchTab}'s rules (every non-tab page closes, a tab page is kept alive), then
     * the tab page's {@code onTabItemTap} with {@code {index, pagePath, text}}. Queued; runs after the current event.
     *
     * @throws IllegalArgumentException when the app has no tab bar or {@code index} is outside its list
     */
    void switchTab(int index);

    /**
     * Tells the session the device's network changed (the host watches its own network): the
     * mini-program's {@code wx.onNetworkStatusChange} listeners are called with {@code {isConnected,
     * networkType}}, as an event of their own. Ignored by a session without {@code onNetworkStatusChange}
     * (no {@code NetworkStatus} service, or a launch without the device group).
     */
    void networkStatusChanged(dev.capsule.runtime.host.NetworkStatus.Type type);

    /** Waits until no event, timer or outstanding call is left, or the session ended; false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** The route of the page on top of the stack, or null before the first page. */
    String currentRoute();

    /** True once the session has ended (closed, or stopped for a violation). */
    boolean ended();

    /** 0 if the session ran to its end, 1 if it stopped for a violation, a fatal error or a host's {@link #stop}. */
    int exitCode();

    /**
     * Ends the session now for a host reason (the platform revoked the mini-program): the guest is
     * stopped wherever it is (in a long event, or idle with timers pending), the session reports one
     * exit event, code 1, reason {@code "<reason>: <detail>"} (say {@code "revoked: …"}), and nothing
     * after it; the stop is audited ({@code session stopped}, outcome the reason's wire name). Does
     * nothing to a session that has already ended. Returns without waiting for the session's thread;
     * {@link #close} still releases it.
     *
     * <p>Security guarantees: the same in both isolation tiers, and through the same ending as a
     * violation: in-process the context is cancelled (an engine operation that cannot be cancelled is
     * left to finish on its own thread, but nothing it does reaches the host any more); a worker process
     * is killed. Either way the exit event is delivered before this method returns.
     *
     * @param detail why, for people (escaped before it is recorded; printed escaped by the CLI)
     */
    void stop(StopReason reason, String detail);

    /** Ends the session (exit 0 unless it already stopped) and releases its context and thread. */
    @Override
    void close();
}
