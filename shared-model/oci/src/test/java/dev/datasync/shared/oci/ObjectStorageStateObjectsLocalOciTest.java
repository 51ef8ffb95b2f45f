package dev.datasync.shared.oci;

import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The state-object port over local-oci's Object Storage: conditional writes are Object Storage's If-(None-)Match. */
public class ObjectStorageStateObjectsLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    private static StateObjects state() {
        return new ObjectStorageStateObjects(OCI.clients()::objectStorage, OCI.config().state());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void createOnceThenReplaceOnlyTheVersionRead() {
        StateObjects s = state();
        String name = "test/" + UUID.randomUUID() + ".json";
        assertEquals(Optional.empty(), s.read(name));
        String first = s.create(name, bytes("{\"n\":1}"));
        expectConflict(() -> s.create(name, bytes("{\"n\":2}")));
        StateObject read = s.read(name).orElseThrow();
        assertEquals(first, read.etag());
        assertArrayEquals(bytes("{\"n\":1}"), read.body());

        String second = s.replace(name, bytes("{\"n\":3}"), first);
        assertNotEquals(first, second);
        expectConflict(() -> s.replace(name, bytes("{\"n\":4}"), first));
        expectConflict(() -> s.delete(name, first));
        assertArrayEquals(bytes("{\"n\":3}"), s.read(name).orElseThrow().body());
        s.delete(name, second);
        assertEquals(Optional.empty(), s.read(name));
        s.delete(name, second); // a missing object is no conflict
    }

    @Test
    public void readIfChangedAnswersTheKeptVersionWhileItIsCurrent() {
        StateObjects s = state();
        String name = "test/" + UUID.randomUUID() + ".json";
        String etag = s.create(name, bytes("a"));
        StateObject kept = s.read(name).orElseThrow();
        assertSame(kept, s.readIfChanged(name, kept).orElseThrow());
        s.replace(name, bytes("b"), etag);
        assertArrayEquals(bytes("b"), s.readIfChanged(name, kept).orElseThrow().body());
    }

    @Test
    public void listsNamesUnderAPrefixInOrder() {
        StateObjects s = state();
        String prefix = "list-" + UUID.randomUUID() + "/";
        for (String n : List.of("c", "a", "b")) {
            s.create(prefix + n, bytes(n));
        }
        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"), s.list(prefix, 10));
        assertEquals(List.of(prefix + "a", prefix + "b"), s.list(prefix, 2));
    }

    @Test
    public void anOutageIsUnavailableNeverAnAnswer() {
        OCI.oci().faults().set("GetObject", FaultRule.failing(1.0, 503));
        try {
            state().read("test/anything");
            fail("a 503 must not read as an absent object");
        } catch (StateUnavailableException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("503"));
        }
    }

    private static void expectConflict(Runnable write) {
        try {
            write.run();
            fail("expected a conflict");
        } catch (StateConflictException expected) {
            // the write lost
        }
    }
}
