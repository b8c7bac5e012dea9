package dev.capsule.server.payments.internal.signatures;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HmacSha256HttpKey;
import dev.capsule.core.httpsig.HttpSignatureException;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import dev.capsule.server.payments.internal.Nonces;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.payments.internal.merchants.MerchantKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a merchant request's RFC 9421 signature, in this order (each refusal its own problem type): one signature,
 * well formed; covers {@code @method}, {@code @target-uri} and, when there is content, {@code content-digest};
 * has {@code created}, {@code expires}, {@code nonce} and {@code keyid}; a window of at most
 * {@link #WINDOW_SECONDS_MAX} s; not created more than {@link #CLOCK_SKEW_SECONDS_MAX} s in the future nor expired
 * more than that in the past; an active key of an enabled merchant; an {@code alg}, if given, equal to the key's;
 * the signature verifies with the key's algorithm; the Content-Digest matches the content; the nonce is new.
 *
 * <p>Security guarantees: the algorithm is always the key's (the message's {@code alg} can only cause a refusal);
 * an unknown, revoked or disabled key is refused alike; the nonce is consumed only by a request whose signature and
 * digest verified (nobody can burn a merchant's nonces without its key), once across all nodes ({@link Nonces})
 * until the end of the window plus the allowed skew, after which the message is refused as expired anyway.
 */
@Component
class MerchantSignatureVerifier {
    /** Most seconds a signature's {@code created} may lie ahead of, or its {@code expires} behind, the server clock. */
    static final long CLOCK_SKEW_SECONDS_MAX = 300;
    /** Longest validity window, {@code expires - created}. */
    static final long WINDOW_SECONDS_MAX = 300;
    static final List<String> ALWAYS_COVERED = List.of("@method", "@target-uri");
    static final String DIGEST_COMPONENT = "content-digest";
    private static final Logger log = LoggerFactory.getLogger(MerchantSignatureVerifier.class);

    private final MerchantDirectory directory;
    private final Nonces nonces;
    private final Clock clock;

    @Autowired
    MerchantSignatureVerifier(MerchantDirectory directory, Nonces nonces) {
        this(directory, nonces, Clock.systemUTC());
    }

    MerchantSignatureVerifier(MerchantDirectory directory, Nonces nonces, Clock clock) {
        this.directory = directory;
        this.nonces = nonces;
        this.clock = clock;
    }

    MerchantPrincipal verify(SignedRequest request, String signatureInput, String signature, byte[] content) throws SignatureRefusal {
        if (signatureInput == null && signature == null) {
            throw new SignatureRefusal(SignatureProblems.MISSING, "sign the request with RFC 9421 HTTP Message Signatures "
                    + "(Signature-Input and Signature header fields; docs/payments.md, \"Signing requests\")");
        }
        MessageSignatures.Received received;
        try {
            received = MessageSignatures.parse(signatureInput, signature);
        } catch (HttpSignatureException e) {
            throw refusal(e);
        }
        SignatureParameters parameters = received.parameters();
        List<String> required = content.length > 0
                ? List.of(ALWAYS_COVERED.get(0), ALWAYS_COVERED.get(1), DIGEST_COMPONENT) : ALWAYS_COVERED;
        if (!parameters.components().containsAll(required)) {
            throw new SignatureRefusal(SignatureProblems.COMPONENTS_MISSING, "the signature must cover " + String.join(", ", required)
                    + (content.length > 0 ? " (the request has content)" : ""));
        }
        Optional<Instant> created = parameters.created();
        Optional<Instant> expires = parameters.expires();
        Optional<String> nonce = parameters.nonce();
        Optional<String> keyid = parameters.keyid();
        if (created.isEmpty() || expires.isEmpty() || nonce.isEmpty() || keyid.isEmpty()) {
            throw new SignatureRefusal(SignatureProblems.PARAMETERS_MISSING, "the signature needs the parameters created, expires, nonce and keyid");
        }
        long window = expires.get().getEpochSecond() - created.get().getEpochSecond();
        if (window <= 0 || window > WINDOW_SECONDS_MAX) {
            throw new SignatureRefusal(SignatureProblems.WINDOW_INVALID, "expires must be after created, by at most "
                    + WINDOW_SECONDS_MAX + " s");
        }
        Instant now = clock.instant();
        if (created.get().isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS_MAX))) {
            throw new SignatureRefusal(SignatureProblems.NOT_YET_VALID, "created lies more than " + CLOCK_SKEW_SECONDS_MAX
                    + " s ahead of the server's clock");
        }
        Instant forgetAt = expires.get().plusSeconds(CLOCK_SKEW_SECONDS_MAX);
        if (!forgetAt.isAfter(now)) {
            throw new SignatureRefusal(SignatureProblems.EXPIRED, "the signature expired (allowing " + CLOCK_SKEW_SECONDS_MAX
                    + " s of clock skew)");
        }
        if (!JdbcNonces.isValidNonce(nonce.get())) {
            throw new SignatureRefusal(SignatureProblems.MALFORMED, "a nonce is 1 to " + Nonces.NONCE_CHARS_MAX
                    + " printable ASCII characters without spaces");
        }
        MerchantKey key = MerchantKeyId.parse(keyid.get()).flatMap(directory::key)
                .orElseThrow(() -> new SignatureRefusal(SignatureProblems.UNKNOWN_KEY, "keyid names no active key of an enabled merchant"));
        if (parameters.alg().isPresent() && !parameters.alg().get().equals(key.algorithm())) {
            throw new SignatureRefusal(SignatureProblems.ALGORITHM_MISMATCH, "this key signs with " + key.algorithm()
                    + " only; leave alg out or name that");
        }
        if (!verified(request, received, key)) {
            throw new SignatureRefusal(SignatureProblems.INVALID, "the signature does not verify with the key named by keyid");
        }
        if (parameters.components().contains(DIGEST_COMPONENT)) {
            ContentDigest.Check check = ContentDigest.check(request.field(ContentDigest.FIELD), content);
            if (check != ContentDigest.Check.MATCHES) {
                throw new SignatureRefusal(SignatureProblems.DIGEST_MISMATCH, switch (check) {
                    case MISMATCH -> "the content is not the content the Content-Digest names";
                    case NO_SUPPORTED_ALGORITHM -> "Content-Digest needs sha-256 or sha-512";
                    case MALFORMED, MATCHES -> "Content-Digest is not a valid RFC 9530 field";
                });
            }
        }
        if (!nonces.firstUse(key.id().value(), nonce.get(), forgetAt)) {
            throw new SignatureRefusal(SignatureProblems.NONCE_REUSED, "this nonce was already used with this key; "
                    + "sign every request with a new nonce");
        }
        return new MerchantPrincipal(key.merchant(), key.id());
    }

    private static boolean verified(SignedRequest request, MessageSignatures.Received received, MerchantKey key) throws SignatureRefusal {
        try {
            return switch (key) {
                case MerchantKey.Ed25519 ed -> MessageSignatures.verify(request, received,
                        new Ed25519HttpKey.Verifying(VerifyingKey.fromRaw(ed.publicKey())));
                case MerchantKey.HmacSha256 hmac -> {
                    HmacSha256HttpKey secret = new HmacSha256HttpKey(hmac.secret().bytes());
                    try {
                        yield MessageSignatures.verify(request, received, secret);
                    } finally {
                        secret.destroy();
                        hmac.secret().destroy();
                    }
                }
            };
        } catch (HttpSignatureException e) {
            throw refusal(e);
        } catch (KeyFormatException e) {
            // A stored key that is no valid point: refuse (fail closed) and tell the operator, never the merchant.
            log.error("merchant key {} holds an invalid Ed25519 public key; its signatures are refused", key.id());
            return false;
        }
    }

    private static SignatureRefusal refusal(HttpSignatureException e) {
        return switch (e.reason()) {
            case MALFORMED, UNSUPPORTED_COMPONENT -> new SignatureRefusal(SignatureProblems.MALFORMED, e.getMessage());
            case COMPONENT_ABSENT -> new SignatureRefusal(SignatureProblems.COMPONENTS_MISSING, e.getMessage());
        };
    }
}
