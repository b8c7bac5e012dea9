package dev.capsule.server.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an endpoint that any authenticated caller may use because it acts only on the caller
 * itself (who am I, change my own password, end my own session). The endpoint must take the subject
 * from {@link Caller#current()}, never from the request.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SelfService {
    /**
     * Whether only an operator (a person in a session) may call it, never an API key: for endpoints
     * about a person's own account (password, MFA, sessions). A machine caller gets 403 {@code forbidden}.
     */
    boolean operatorsOnly() default false;

    /** Whether the endpoint always needs a recent second factor ({@link StepUp}); implies {@link #operatorsOnly()}. */
    boolean stepUp() default false;

    /**
     * When step-up depends on state only the service knows, the condition in words ("an authenticator is
     * already enrolled"): the service then calls {@link StepUp#require}, and docs/rbac.md lists the condition.
     */
    String stepUpWhen() default "";
}
