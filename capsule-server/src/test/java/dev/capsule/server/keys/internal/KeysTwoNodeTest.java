package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.testing.server.TwoNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, one database: they share the installation's KEK (the second adopted it from the
 * database), see each other's rotations at once when a ciphertext names a new key and within the
 * refresh interval for sealing, and exactly one of them runs a rotation's re-wrap to the end.
 */
class KeysTwoNodeTest {

    @Test
    void nodesShareKeysAndFollowEachOthersRotations() throws Exception {
        try (TwoNodes nodes = TwoNodes.start()) {
            FieldEncryption first = nodes.first().context().getBean(FieldEncryption.class);
            FieldEncryption second = nodes.second().context().getBean(FieldEncryption.class);
            FieldPlace place = new FieldPlace("platform", "operators", UUID.randomUUID().toString(), "totp-secret");
            assertThat(second.open(DataPurpose.OPERATOR_SECRETS, first.seal(DataPurpose.OPERATOR_SECRETS, new byte[] {1}, place), place))
                    .containsExactly(1);
            assertThat(nodes.second().context().getBean(PlatformSigner.class).primary(SigningPurpose.AUDIT_CHECKPOINT))
                    .isEqualTo(nodes.first().context().getBean(PlatformSigner.class).primary(SigningPurpose.AUDIT_CHECKPOINT));
            assertThat(keystore(nodes.first())).as("each node holds the same keystore").isEqualTo(keystore(nodes.second()));

            // Warm the second node's cache, then rotate on the first.
            second.seal(DataPurpose.OPERATOR_SECRETS, new byte[] {0}, place);
            RotationStatus rotation = nodes.first().context().getBean(KeyRotations.class)
                    .start(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), null);
            byte[] underNewKey = first.seal(DataPurpose.OPERATOR_SECRETS, new byte[] {2}, place);
            assertThat(String.format("%08x", FieldEncryption.keyIdOf(underNewKey))).isEqualTo(rotation.newKeyId());
            assertThat(second.open(DataPurpose.OPERATOR_SECRETS, underNewKey, place)).as("a new key id makes the node re-read").containsExactly(2);

            Thread.sleep(Keysets.REFRESH_MILLIS + 500);
            byte[] sealedBySecond = second.seal(DataPurpose.OPERATOR_SECRETS, new byte[] {3}, place);
            assertThat(String.format("%08x", FieldEncryption.keyIdOf(sealedBySecond))).as("the second node seals with the new primary")
                    .isEqualTo(rotation.newKeyId());

            KeyRotations rotations = nodes.second().context().getBean(KeyRotations.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!rotations.status(rotation.id()).orElseThrow().finished() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(rotations.status(rotation.id()).orElseThrow().state()).isEqualTo("done");
            assertThat(nodes.first().jdbc().sql("SELECT count(*) FROM keys_inventory WHERE purpose = 'operator-secrets' AND status = 'retired'")
                    .query(Long.class).single()).isEqualTo(1);
        }
    }

    private static String keystore(TwoNodes.Node node) throws Exception {
        Path dataDir = Path.of(node.context().getEnvironment().getProperty("capsule.data-dir"));
        return Files.readString(dataDir.resolve(LocalKms.KEYSTORE_FILE));
    }
}
