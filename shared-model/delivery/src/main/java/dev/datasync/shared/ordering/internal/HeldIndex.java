package dev.datasync.shared.ordering.internal;

import java.util.Map;

/** Every held key, by {@link dev.datasync.shared.ordering.KeyRef#id()}; immutable. */
public record HeldIndex(Map<String, HeldEntry> keys) {

    public static final HeldIndex EMPTY = new HeldIndex(Map.of());

    public HeldIndex {
        keys = Map.copyOf(keys);
    }

    public HeldEntry get(String keyId) {
        return keys.get(keyId);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
