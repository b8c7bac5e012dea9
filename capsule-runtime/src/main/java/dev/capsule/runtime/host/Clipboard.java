package dev.capsule.runtime.host;

/**
 * The host's clipboard for {@code wx.setClipboardData}. Write-only by decision: a mini-program never
 * reads the clipboard ({@code wx.getClipboardData} is absent), because what the user copied elsewhere
 * (codes, passwords, addresses) is none of its business. Without a clipboard, the API is absent.
 *
 * <p>Security guarantees: the runtime hands over text only (length-limited, checked before the call),
 * and audits every write with its length, never its content.
 */
@FunctionalInterface
public interface Clipboard {
    /** Replaces the clipboard's text; the host may tell the user (WeChat shows "copied"). */
    void write(String appId, String text);

    /** A headless host's clipboard (the CLI): nobody can paste from it, so the text is dropped. */
    Clipboard HEADLESS = (appId, text) -> { };
}
