package dev.capsule.server.host.internal;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.platform.ProblemException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shell users' passkeys (WebAuthn, verified with webauthn4j): registered on {@code /shell/settings}, used by the
 * payment sheet's step-up ({@link HostPayerStepUp}). Only public data is kept ({@code host_payer_passkeys}, V100):
 * the attested credential data (credential id, COSE public key), the origin it was registered on, the signature
 * counter.
 *
 * <p>Security guarantees: a registration answers a single-use challenge of this payer (300 s) from this server's own
 * origin, with user verification, and any attestation is accepted only as "none" (no authenticator model is trusted
 * or needed: the passkey proves the same person is present, not what device they hold); an assertion verifies only
 * against this payer's own credentials registered on that origin, for exactly the challenge issued, with user presence
 * and verification, and a signature counter that does not go backwards (a cloned authenticator); malformed answers
 * are refused, never thrown to the caller. At most {@link #PASSKEYS_MAX} passkeys per payer.
 */
@Component
class ShellPasskeys {
    static final int PASSKEYS_MAX = 10;
    static final Duration REGISTRATION_SECONDS = Duration.ofSeconds(300);
    /** How long the browser lets the user answer (WebAuthn's {@code timeout}). */
    static final long TIMEOUT_MILLIS = 120_000;
    static final int CHALLENGE_BYTES = 32;
    /** Largest registration or assertion JSON accepted. */
    static final int RESPONSE_CHARS_MAX = 16_384;
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A registered passkey as the settings page lists it. */
    record Passkey(String id, String origin, Instant created) {
    }

    private record Stored(byte[] id, byte[] credential, String origin, long signCount) {
    }

    private final JdbcClient jdbc;
    private final PayerRefs refs;
    private final Clock clock;
    private final WebAuthnManager webauthn = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter credentials = new AttestedCredentialDataConverter(new ObjectConverter());

    @Autowired
    ShellPasskeys(JdbcClient jdbc, PayerRefs refs) {
        this(jdbc, refs, Clock.systemUTC());
    }

    ShellPasskeys(JdbcClient jdbc, PayerRefs refs, Clock clock) {
        this.jdbc = jdbc;
        this.refs = refs;
        this.clock = clock;
    }

    /** {@code PublicKeyCredentialCreationOptionsJSON} for {@code navigator.credentials.create}, with a fresh challenge. */
    ObjectNode registrationOptions(PayerId payer, String origin) {
        String ref = refs.ref(payer);
        byte[] challenge = random();
        jdbc.sql("""
                INSERT INTO host_passkey_registrations (payer_ref, challenge, origin, expires_at) VALUES (:payer, :challenge, :origin, :expires)
                ON CONFLICT (payer_ref) DO UPDATE SET challenge = EXCLUDED.challenge, origin = EXCLUDED.origin, expires_at = EXCLUDED.expires_at
                """).param("payer", ref).param("challenge", challenge).param("origin", origin)
                .param("expires", clock.instant().plus(REGISTRATION_SECONDS).atOffset(ZoneOffset.UTC)).update();
        ObjectNode options = Wire.object().put("challenge", B64URL.encodeToString(challenge));
        options.putObject("rp").put("id", rpId(origin)).put("name", "Capsule");
        // The user handle is the payer's pseudonym: it names nobody outside this server.
        options.putObject("user").put("id", B64URL.encodeToString(HexFormat.of().parseHex(ref))).put("name", "Capsule payments")
                .put("displayName", "Capsule payments");
        ArrayNode algorithms = options.putArray("pubKeyCredParams");
        ALGORITHMS.forEach(a -> algorithms.addObject().put("type", "public-key").put("alg", a.getAlg().getValue()));
        options.put("timeout", TIMEOUT_MILLIS).put("attestation", "none");
        options.putObject("authenticatorSelection").put("residentKey", "discouraged").put("userVerification", "required");
        ArrayNode exclude = options.putArray("excludeCredentials");
        stored(ref, Optional.empty()).forEach(s -> exclude.addObject().put("type", "public-key").put("id", B64URL.encodeToString(s.id())));
        return options;
    }

    /** Verifies and keeps a new passkey (the browser's {@code PublicKeyCredential.toJSON()}); a refusal is a problem. */
    void register(PayerId payer, String origin, String response) {
        String ref = refs.ref(payer);
        if (response.length() > RESPONSE_CHARS_MAX) {
            throw invalid("the passkey's answer is larger than " + RESPONSE_CHARS_MAX + " characters");
        }
        Optional<byte[]> challenge = jdbc.sql("""
                DELETE FROM host_passkey_registrations WHERE payer_ref = :payer AND origin = :origin AND expires_at > :now RETURNING challenge
                """).param("payer", ref).param("origin", origin).param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .query(byte[].class).optional();
        if (challenge.isEmpty()) {
            throw invalid("no passkey registration is waiting; start again");
        }
        if (stored(ref, Optional.empty()).size() >= PASSKEYS_MAX) {
            throw invalid("at most " + PASSKEYS_MAX + " passkeys; remove one first");
        }
        RegistrationData data;
        try {
            data = webauthn.verifyRegistrationResponseJSON(response, new RegistrationParameters(
                    new ServerProperty(Origin.create(origin), rpId(origin), new DefaultChallenge(challenge.get())), ALGORITHMS, true, true));
        } catch (RuntimeException e) {
            throw invalid("the passkey could not be verified");
        }
        AttestedCredentialData credential = data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
        int inserted = jdbc.sql("""
                INSERT INTO host_payer_passkeys (credential_id, payer_ref, credential, origin, sign_count, created_at)
                VALUES (:id, :payer, :credential, :origin, :count, :now) ON CONFLICT (credential_id) DO NOTHING
                """).param("id", credential.getCredentialId()).param("payer", ref).param("credential", credentials.convert(credential))
                .param("origin", origin).param("count", data.getAttestationObject().getAuthenticatorData().getSignCount())
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
        if (inserted == 0) {
            throw invalid("this passkey is registered already");
        }
    }

    List<Passkey> list(PayerId payer) {
        return jdbc.sql("SELECT credential_id, origin, created_at FROM host_payer_passkeys WHERE payer_ref = :payer ORDER BY created_at, credential_id")
                .param("payer", refs.ref(payer))
                .query((rs, n) -> new Passkey(B64URL.encodeToString(rs.getBytes(1)), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
    }

    boolean remove(PayerId payer, String id) {
        byte[] credential;
        try {
            credential = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return jdbc.sql("DELETE FROM host_payer_passkeys WHERE payer_ref = :payer AND credential_id = :id")
                .param("payer", refs.ref(payer)).param("id", credential).update() > 0;
    }

    boolean any(PayerId payer) {
        return !stored(refs.ref(payer), Optional.empty()).isEmpty();
    }

    /**
     * {@code PublicKeyCredentialRequestOptionsJSON} for {@code navigator.credentials.get} with {@code challenge}: the
     * payer's passkeys of the origin they registered on most recently; empty when the payer has none.
     */
    Optional<ObjectNode> requestOptions(PayerId payer, byte[] challenge) {
        List<Stored> mine = stored(refs.ref(payer), Optional.empty());
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        String origin = mine.getLast().origin();
        ObjectNode options = Wire.object().put("challenge", B64URL.encodeToString(challenge)).put("rpId", rpId(origin))
                .put("timeout", TIMEOUT_MILLIS).put("userVerification", "required");
        ArrayNode allow = options.putArray("allowCredentials");
        mine.stream().filter(s -> s.origin().equals(origin))
                .forEach(s -> allow.addObject().put("type", "public-key").put("id", B64URL.encodeToString(s.id())));
        return Optional.of(options);
    }

    /** Whether {@code answer} (the browser's assertion JSON) proves this payer's passkey signed {@code challenge}. */
    boolean verify(PayerId payer, byte[] challenge, JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            return false;
        }
        String json = Wire.JSON.writeValueAsString(answer);
        if (json.length() > RESPONSE_CHARS_MAX) {
            return false;
        }
        try {
            AuthenticationData data = webauthn.parseAuthenticationResponseJSON(json);
            Optional<Stored> found = stored(refs.ref(payer), Optional.of(data.getCredentialId())).stream().findFirst();
            if (found.isEmpty()) {
                return false; // another payer's passkey, or none
            }
            Stored passkey = found.get();
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, passkey.signCount(),
                    credentials.convert(passkey.credential()), null, null, null, null);
            webauthn.verify(data, new AuthenticationParameters(new ServerProperty(Origin.create(passkey.origin()), rpId(passkey.origin()),
                    new DefaultChallenge(challenge)), record, List.of(passkey.id()), true, true));
            long count = data.getAuthenticatorData().getSignCount();
            jdbc.sql("UPDATE host_payer_passkeys SET sign_count = GREATEST(sign_count, :count) WHERE credential_id = :id")
                    .param("count", count).param("id", passkey.id()).update();
            return true;
        } catch (RuntimeException e) {
            return false; // webauthn4j's verification and conversion failures: not verified
        }
    }

    static byte[] random() {
        byte[] bytes = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private List<Stored> stored(String ref, Optional<byte[]> id) {
        var query = jdbc.sql("SELECT credential_id, credential, origin, sign_count FROM host_payer_passkeys WHERE payer_ref = :payer"
                + (id.isPresent() ? " AND credential_id = :id" : "") + " ORDER BY created_at, credential_id").param("payer", ref);
        if (id.isPresent()) {
            query = query.param("id", id.get());
        }
        return query.query((rs, n) -> new Stored(rs.getBytes(1), rs.getBytes(2), rs.getString(3), rs.getLong(4))).list();
    }

    private static String rpId(String origin) {
        return URI.create(origin).getHost();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(HostProblems.PASSKEY_INVALID, detail);
    }
}
