package dev.capsule.runtime.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs kept in memory, for tests and embedded hosts that persist nothing. Copies on the way in and out. */
final class MemoryBlobStore implements BlobStore {
    private final Map<String, Map<String, byte[]>> areas = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> read(String area, String name, int bytesMax) throws OversizeBlobException {
        byte[] blob = blobs(area).get(name);
        if (blob == null) {
            return Optional.empty();
        }
        if (blob.length > bytesMax) {
            throw new OversizeBlobException(blob.length);
        }
        return Optional.of(blob.clone());
    }

    @Override
    public void write(String area, String name, byte[] bytes) {
        blobs(area).put(name, bytes.clone());
    }

    @Override
    public void delete(String area, String name) {
        blobs(area).remove(name);
    }

    @Override
    public List<String> recordNames(String area) {
        return blobs(area).keySet().stream().filter(name -> !name.equals(KEYS)).toList();
    }

    @Override
    public void sweepLeftovers(String area) {
        // Writes here are a single map put: nothing can be left half-done.
    }

    private Map<String, byte[]> blobs(String area) {
        return areas.computeIfAbsent(area, a -> new ConcurrentHashMap<>());
    }
}
