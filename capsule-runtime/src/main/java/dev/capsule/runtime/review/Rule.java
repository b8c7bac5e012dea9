package dev.capsule.runtime.review;

import java.util.Objects;

/**
 * The rules of the package review ({@link PackageReview}): each a stable id, a severity and what it
 * means. docs/registry.md's "Finding rules" table is {@link #markdownTable} (a test compares them).
 * Other scanners (the supply-chain scan) create {@link Finding}s with their own ids.
 *
 * <p>Security guarantees: ids and severities are stable (reports are stored and compared across
 * versions); a rule's findings always carry its id and severity ({@link #at}).
 */
public enum Rule {
    PACKAGE("package.<reason>", Severity.CRITICAL,
            "the package fails a check of `capsule pack` and every runtime (manifest, app.json, paths, limits); the id ends in the reason code, such as `package.invalid-manifest`"),
    PACKAGE_BUILD("package.build", Severity.CRITICAL,
            "(source directories only: `capsule review DIR`) the directory does not build: a script has a syntax error or an ES module cannot become CommonJS; at the file and line"),
    VIEW_COMPILE("view.compile", Severity.CRITICAL,
            "a template (`.wxml`), a page's or component's json (`usingComponents`) or a stylesheet (`.wxss`) does not compile: `capsule pack` refuses it and every runtime refuses to launch it; at the file and line"),
    JS_UNPARSABLE("js.unparsable", Severity.MEDIUM,
            "GraalJS's parser refuses the file (syntax error, nesting too deep): the runtime refuses to load it and the review cannot see inside it"),
    JS_EVAL("js.eval", Severity.HIGH, "`eval` is referenced: code from strings (the runtime has no `eval`, so this is dead or probing code)"),
    JS_FUNCTION_CONSTRUCTOR("js.function-constructor", Severity.HIGH,
            "`Function(...)`, `new Function(...)` or `x.constructor(...)`: code from strings"),
    JS_DYNAMIC_IMPORT("js.dynamic-import", Severity.HIGH, "`import()` or `import.meta`: code loaded at run time (the runtime refuses the module)"),
    JS_STRING_TIMER("js.string-timer", Severity.HIGH, "`setTimeout`/`setInterval` given a string (or a string built by `+` or a template) instead of a function"),
    OBFUSCATION_LONG_LINE("obfuscation.long-line", Severity.MEDIUM,
            "a line longer than " + ScriptReview.LINE_CHARS_MAX + " characters (one finding per file, at the first): minified or packed code a reviewer cannot read"),
    OBFUSCATION_ENCODED_PAYLOAD("obfuscation.encoded-payload", Severity.MEDIUM,
            "a string of at least " + Signals.PAYLOAD_CHARS_MIN + " characters that is all base64 or hex: a packed or encoded payload (inline `data:image/` URLs excepted)"),
    OBFUSCATION_STRING_TABLE("obfuscation.string-table", Severity.MEDIUM,
            "an array of at least " + Signals.TABLE_STRINGS_MIN + " strings whose text has at least " + Signals.TABLE_ENTROPY_BITS_MIN
                    + " bits of entropy per character: the string table of an obfuscator"),
    SECRET_PRIVATE_KEY("secret.private-key", Severity.CRITICAL, "a PEM private key (`-----BEGIN … PRIVATE KEY-----`)"),
    SECRET_AWS_KEY("secret.aws-access-key", Severity.HIGH, "an AWS access key id (`AKIA…`, `ASIA…`)"),
    SECRET_GITHUB_TOKEN("secret.github-token", Severity.HIGH, "a GitHub token (`ghp_…`, `gho_…`, `ghu_…`, `ghs_…`, `ghr_…`, `github_pat_…`)"),
    SECRET_SLACK_TOKEN("secret.slack-token", Severity.HIGH, "a Slack token (`xoxb-…`, `xoxp-…`, `xoxa-…`, `xoxr-…`, `xoxs-…`)"),
    SECRET_STRIPE_KEY("secret.stripe-key", Severity.HIGH, "a Stripe secret or restricted live key (`sk_live_…`, `rk_live_…`)"),
    SECRET_JWT("secret.jwt", Severity.HIGH, "a JSON Web Token (`eyJ….eyJ….…`): a bearer credential"),
    SECRET_HIGH_ENTROPY("secret.high-entropy", Severity.HIGH,
            "a high-entropy string (at least " + Signals.SECRET_CHARS_MIN + " characters, letters and digits, at least " + Signals.SECRET_ENTROPY_BITS_MIN
                    + " bits per character) assigned to a name like key, secret, token, password or credential"),
    NETWORK_HOST_NOT_ALLOWED("network.host-not-allowed", Severity.MEDIUM,
            "an `https://` or `wss://` URL in a string whose host (and port) is in none of capsule.json's `network` lists: the runtime will refuse it"),
    NETWORK_INSECURE_URL("network.insecure-url", Severity.MEDIUM, "an `http://` or `ws://` URL in a string: the runtime allows HTTPS and WSS only"),
    WX_UNKNOWN_API("wx.unknown-api", Severity.MEDIUM, "`wx.x` for an API Capsule does not provide (the runtime's API registry): `undefined` at run time unless the app defines that member itself; one absent by decision (`wx.cloud`, …) is reported with the registry's reason"),
    PRIVACY_UNDECLARED("privacy.undeclared", Severity.HIGH,
            "a personal-data API (the registry's personal-data group) is used but capsule.json's `privacy` declares no purpose for it: the runtime denies the call"),
    PRIVACY_UNUSED("privacy.unused", Severity.LOW, "a personal-data API declared in capsule.json's `privacy` is never used by the code (data minimization: remove it)"),
    REVIEW_REPEATED("review.repeated", Severity.INFO,
            "a rule matched more than " + Findings.PER_FILE_RULE_MAX + " times in one file; the rest are counted, not listed"),
    REVIEW_TRUNCATED(ReviewReport.TRUNCATED_RULE, Severity.INFO,
            "the report holds at most " + ReviewReport.FINDINGS_MAX + " findings; the most severe are kept and the rest counted");

    private final String id;
    private final Severity severity;
    private final String meaning;

    Rule(String id, Severity severity, String meaning) {
        this.id = id;
        this.severity = severity;
        this.meaning = meaning;
    }

    /** The stable rule id (for {@link #PACKAGE}, the prefix pattern; its findings end in the reason code). */
    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** What a finding of this rule means (Markdown). */
    public String meaning() {
        return meaning;
    }

    /** A finding of this rule at {@code path}:{@code line} (0: not applicable). */
    Finding at(String path, int line, String explanation) {
        return new Finding(id, severity, path, line, Objects.requireNonNull(explanation));
    }

    /** The "Finding rules" table of docs/registry.md, one row per rule. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder("| rule | severity | meaning |\n|---|---|---|\n");
        for (Rule r : values()) {
            md.append("| `").append(r.id).append("` | ").append(r.severity.code()).append(" | ").append(r.meaning).append(" |\n");
        }
        return md.toString();
    }
}
