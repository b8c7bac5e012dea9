package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The platform's {@link Storage} for hosted sessions: the runtime's {@code EncryptedStorage} over PostgreSQL
 * ({@code host_storage_blobs}), its area keys wrapped under the keys module's encryption. Sessions of every node
 * share it.
 */
@Configuration(proxyBeanMethods = false)
class HostStorageConfiguration {
    // API commit: the body lands once the runtime's EncryptedStorage.over(BlobStore, Aead, StorageLimits) exists.
    @Bean
    Storage hostStorage() {
        return (miniProgramId, userId) -> {
            throw new StorageException(StorageException.Reason.IO, "host storage is not built yet (issue #15 in progress)");
        };
    }
}
