package dev.capsule.server.identity;

/**
 * Forced sign-out of every operator, for incident response (the incidents module's runbook calls it): every
 * server-side operator session in Spring Session JDBC is deleted, on every node at once, except the session making
 * the request — the acting operator stays signed in in that browser (their other sessions end too), so the person
 * running the incident can carry on. Sessions half-way through sign-in end as well.
 *
 * <p>API keys are not sessions: they keep working. To stop a key, revoke it ({@code /console/api-keys}) or suspend
 * the developer organisation it is bound to.
 *
 * <p>Security guarantees: only an operator session can call it (an API key or another authentication is refused with
 * 403 {@code forbidden}); the next request of an ended session is unauthenticated (the console asks for a new sign-in
 * with password and second factor); the step is audited ({@code operator.sign-out-all}) with the acting operator's id,
 * in the same transaction as the deletion.
 */
public interface OperatorSignOut {
    /** Ends every operator session but the current request's; returns how many sessions ended. */
    int signOutAllOtherSessions();
}
