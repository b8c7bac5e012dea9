/**
 * HTTP Message Signatures (RFC 9421) for requests, with the Structured Field Values (RFC 8941) they are written in,
 * and Content-Digest (RFC 9530): {@link dev.capsule.core.httpsig.MessageSignatures} signs and verifies,
 * {@link dev.capsule.core.httpsig.ContentDigest} digests content. Algorithms: {@code ed25519} (core's Ed25519 keys)
 * and {@code hmac-sha256} (the JDK's Mac). Tested with the RFCs' own examples (RFC 9421 Appendix B.2.5 and B.2.6,
 * RFC 9530 Appendix B.1 and B.2).
 */
package dev.capsule.core.httpsig;
