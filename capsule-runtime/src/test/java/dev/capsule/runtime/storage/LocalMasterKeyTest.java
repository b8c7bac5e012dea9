package dev.capsule.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.crypto.tink.Aead;
import dev.capsule.runtime.storage.StorageException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMasterKeyTest {
    @TempDir
    Path temp;

    @Test
    void createsTheKeyOnceAndLoadsTheSameKeyAfter() throws Exception {
        Path file = temp.resolve("keys/master.json");
        Aead first = LocalMasterKey.loadOrCreate(file);
        String created = Files.readString(file);
        byte[] ad = "ad".getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = first.encrypt("hello".getBytes(StandardCharsets.UTF_8), ad);

        Aead again = LocalMasterKey.loadOrCreate(file);
        assertThat(again.decrypt(ciphertext, ad)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(Files.readString(file)).isEqualTo(created);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.toList()).containsExactly(file);
        }
    }

    @Test
    void keyFileIsOwnerOnly() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = temp.resolve("master.json");
        LocalMasterKey.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesAKeyFileOthersMayRead() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = temp.resolve("master.json");
        LocalMasterKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> LocalMasterKey.loadOrCreate(file))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO))
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refusesAFileThatIsNotAKeyset() throws Exception {
        Path file = temp.resolve("master.json");
        Files.writeString(file, "{\"not\":\"a keyset\"}");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        assertThatThrownBy(() -> LocalMasterKey.loadOrCreate(file))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void storageOnDiskSurvivesARestartWithTheLocalKey() throws Exception {
        Path keyFile = temp.resolve("master.json");
        EncryptedStorage.inDirectory(temp.resolve("data"), LocalMasterKey.loadOrCreate(keyFile), StorageLimits.DEFAULTS)
                .open("com.example.todo", "u1").set("k", "\"v\"");
        StorageArea reopened = EncryptedStorage.inDirectory(temp.resolve("data"), LocalMasterKey.loadOrCreate(keyFile), StorageLimits.DEFAULTS)
                .open("com.example.todo", "u1");
        assertThat(reopened.get("k")).hasValue("\"v\"");
    }
}
