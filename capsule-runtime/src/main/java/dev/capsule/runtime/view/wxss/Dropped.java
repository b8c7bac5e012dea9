package dev.capsule.runtime.view.wxss;

/** A construct the compiler refuses to emit; the caller drops it and records a {@link StyleWarning}. */
final class Dropped extends Exception {
    Dropped(String message) {
        super(message, null, false, false);
    }
}
