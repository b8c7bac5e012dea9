package dev.capsule.server.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of server-rendered operator console pages (under {@code /console}). A
 * {@link ProblemException} its handlers end in, or that the access module throws before them (a missing
 * permission, a stale step-up), is answered as a console page with the problem's status rather than as
 * problem+json: the identity module's step-up page when the problem is {@code step-up-required}, else a page
 * that states the refusal in one sentence and links back. The status and the problem type stay those of the
 * API, so every 403 is audited as a denial like any other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConsolePage {
}
