/**
 * The host module: the server hosts mini-program sessions for end users (a pool of sandboxed workers per node,
 * the shell at {@code /shell}, one WebSocket per open mini-program), signs users in by short-lived session grants
 * that a super-app's backend obtains with an API key ({@code sessions.open}), and gives sessions the platform's
 * storage, consent ledger, pairwise user ids and audit log. {@code capsule dev DIR} is the same shell over an
 * unsigned directory. See docs/host.md.
 *
 * <p>Public API: {@link dev.capsule.server.host.ShellUserId}, {@link dev.capsule.server.host.HostedSessionId},
 * {@link dev.capsule.server.host.HostEvent} (the module's event record, published for the audit log).
 */
package dev.capsule.server.host;
