package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.KeyAges;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@link KeyAges} from the inventory and the rotations the keys API lists. */
@Component
class KeyAgesService implements KeyAges {
    private final KeyInventory inventory;
    private final KeyRotations rotations;

    KeyAgesService(KeyInventory inventory, KeyRotations rotations) {
        this.inventory = inventory;
        this.rotations = rotations;
    }

    @Override
    public List<KeyAge> keyAges() {
        return inventory.all().stream().map(k -> new KeyAge(k.purpose(), k.keyId(), k.status(), k.createdAt(), k.statusAt())).toList();
    }

    @Override
    public List<KeyRotationState> recentRotations() {
        return rotations.recent().stream()
                .map(r -> new KeyRotationState(r.purpose(), r.newKeyId(), r.state(), r.startedAt(), r.finishedAt())).toList();
    }
}
