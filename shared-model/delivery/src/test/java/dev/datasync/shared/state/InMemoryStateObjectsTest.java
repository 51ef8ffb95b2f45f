package dev.datasync.shared.state;

import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The test double keeps Object Storage's conditional rules, so tests built on it mean what they would on OCI. */
public class InMemoryStateObjectsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void createIsRefusedWhenTheNameExistsAndReplaceNeedsTheCurrentEtag() {
        InMemoryStateObjects store = new InMemoryStateObjects();
        String first = store.create("held/a", b("1"));
        assertThrows(StateConflictException.class, () -> store.create("held/a", b("2")));
        String second = store.replace("held/a", b("2"), first);
        assertThrows(StateConflictException.class, () -> store.replace("held/a", b("3"), first));
        assertThrows(StateConflictException.class, () -> store.delete("held/a", first));
        StateObject now = store.read("held/a").orElseThrow();
        assertEquals(second, now.etag());
        assertEquals("2", new String(now.body(), StandardCharsets.UTF_8));
        assertEquals(now, store.readIfChanged("held/a", now).orElseThrow());
        store.delete("held/a", second);
        assertTrue(store.read("held/a").isEmpty());
        assertThrows(StateConflictException.class, () -> store.replace("held/a", b("4"), second));
    }

    @Test
    public void listGivesTheNamesUnderAPrefixInOrder() {
        InMemoryStateObjects store = new InMemoryStateObjects();
        store.create("idem/b", b("x"));
        store.create("idem/a", b("x"));
        store.create("held/a", b("x"));
        assertEquals(List.of("idem/a", "idem/b"), store.list("idem/", 10));
        assertEquals(List.of("idem/a"), store.list("idem/", 1));
    }
}
