package dev.capsule.server.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the permission an endpoint needs. Every request handler of the server under
 * {@code /api/} declares either this or {@link SelfService}, or lies under a public path; one that
 * declares nothing is refused with 403 for every caller (and {@code EndpointDeclarationTest} fails).
 *
 * <p>Security guarantees: the check runs after the handler is chosen and before any argument of it
 * is read (no request body is parsed for a caller who may not call the endpoint); an anonymous
 * caller gets 401, a caller without the permission 403 {@code forbidden} naming the permission, and,
 * with {@link #stepUp()}, a caller without a recent second factor 403 {@code step-up-required}
 * ({@link StepUp}). Every refusal is audited.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresPermission {
    Permission value();

    /** Whether the endpoint also needs a recent second factor ({@link StepUp}), checked after the permission. */
    boolean stepUp() default false;
}
