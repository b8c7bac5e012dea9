package dev.capsule.runtime.host;

import java.util.List;

/**
 * UI the host renders on the mini-program's behalf (spec §3 "host UI"): the mini-program never draws
 * its own modal or action sheet, so it cannot imitate the host's chrome.
 */
public interface HostUi {
    /** Shows a modal dialog; returns true if the user confirmed. */
    boolean showModal(String appId, String title, String content, boolean showCancel);

    /** Shows an action sheet; returns the tapped index, or -1 if the user cancelled. */
    int showActionSheet(String appId, List<String> items);

    /** A host that answers every modal with cancel and every sheet with -1 (headless default). */
    HostUi CANCEL_ALL = answering(false, -1);

    /** A headless host with fixed answers: for the CLI's --modal/--action-sheet and for tests. */
    static HostUi answering(boolean confirmModals, int actionSheetIndex) {
        return new HostUi() {
            @Override
            public boolean showModal(String appId, String title, String content, boolean showCancel) {
                return confirmModals;
            }

            @Override
            public int showActionSheet(String appId, List<String> items) {
                return actionSheetIndex;
            }
        };
    }
}
