package dev.capsule.server.access;

import org.springframework.security.core.Authentication;

/**
 * Answers the step-up question for one authentication mechanism: did this caller pass a second factor
 * within {@link StepUp#STEP_UP_MINUTES_MAX} minutes? The identity module provides it for operator
 * sessions. Only {@link StepUp} asks it; nothing else decides step-up.
 *
 * <p>Security guarantees: an implementation answers {@code false} for any authentication it does not
 * know; with no implementation installed, {@link StepUp} refuses every step-up action.
 */
public interface StepUpCheck {

    /** Whether {@code caller} passed a second factor within {@link StepUp#STEP_UP_MINUTES_MAX} minutes. */
    boolean recent(Authentication caller);
}
