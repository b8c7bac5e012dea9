/**
 * The only way a mini-program reaches the network ({@code wx.request}): HTTPS to exact allowlisted
 * hosts, with DNS resolved and every address checked by Capsule before connecting to exactly that
 * address, redirects followed and re-checked by Capsule, and every size and time bounded.
 *
 * <p>Public API: {@link dev.capsule.runtime.net.GuardedHttpClient} (its Javadoc lists the security
 * guarantees), {@link dev.capsule.runtime.net.HttpRequestSpec}, the sealed
 * {@link dev.capsule.runtime.net.HttpOutcome} with {@link dev.capsule.runtime.net.FailureKind}, and
 * {@link dev.capsule.runtime.net.NetLimits}. Everything else is package-private, including the
 * constructor that lets tests choose the resolver, trust store and address policy; tests elsewhere
 * in the runtime get a client wired to a local HTTPS server from the test helper
 * {@code dev.capsule.runtime.net.TestNetwork}.
 *
 * <p>HTTP/1.1 itself (framing, chunked coding, gzip/deflate decoding, header parsing) is Apache
 * HttpClient 5's classic client, used one fresh connection per hop with a resolver pinned to the
 * checked addresses ({@code HopExecutor} explains why).
 */
package dev.capsule.runtime.net;
