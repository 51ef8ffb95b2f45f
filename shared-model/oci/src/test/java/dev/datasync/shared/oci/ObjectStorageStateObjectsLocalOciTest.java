package dev.datasync.shared.oci;

import com.oracle.bmc.objectstorage.ObjectStorage;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.StateStore;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateUnavailableException;
import dev.datasync.shared.testing.AtOnce;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.SourceObjects;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The state objects over the real Object Storage SDK client against local-oci: the conditional writes and their
 * conflicts, a 304 for an unchanged object, deleting a missing object, listing across pages, failures reported as
 * unavailable without content, and one GetNamespace per container shared with the source registry.
 */
public class ObjectStorageStateObjectsLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    /** A container's state bucket over the real client, counting calls by method. */
    private StateBucket bucket(StateStore store) {
        ObjectStorage counted = ForwardingProxy.of(ObjectStorage.class, OCI.clients().objectStorage(),
                (method, args) -> calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet());
        return new StateBucket(() -> counted, store);
    }

    private ObjectStorageStateObjects state() {
        return new ObjectStorageStateObjects(bucket(OCI.config().state()));
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void createWritesOnlyANewNameAndReplaceOnlyTheVersionRead() {
        ObjectStorageStateObjects state = state();
        String first = state.create("test/cr/a.json", bytes("{\"v\":1}"));
        StateObject read = state.read("test/cr/a.json").orElseThrow();
        assertEquals(first, read.etag());
        assertArrayEquals(bytes("{\"v\":1}"), read.body());

        conflict(() -> state.create("test/cr/a.json", bytes("{\"v\":2}")));
        String second = state.replace("test/cr/a.json", bytes("{\"v\":2}"), first);
        assertNotEquals(first, second);
        conflict(() -> state.replace("test/cr/a.json", bytes("{\"v\":3}"), first));
        assertArrayEquals("the losing writes changed nothing", bytes("{\"v\":2}"),
                state.read("test/cr/a.json").orElseThrow().body());
        conflict(() -> state.replace("test/cr/missing.json", bytes("{}"), first));
        assertEquals(Optional.empty(), state.read("test/cr/missing.json"));
    }

    @Test
    public void racingCreatesOfOneNameHaveOneWinner() throws Exception {
        ObjectStorageStateObjects state = state();
        List<Object> results = AtOnce.run(8, i -> state.create("test/race/one.json", bytes("{\"writer\":" + i + "}")));
        List<Object> won = results.stream().filter(r -> r instanceof String).toList();
        assertEquals(results.toString(), 1, won.size());
        assertTrue(results.toString(), results.stream().allMatch(r -> r instanceof String
                || r instanceof StateConflictException));
        assertEquals(won.get(0), state.read("test/race/one.json").orElseThrow().etag());
    }

    @Test
    public void anUnchangedObjectIsAnswered304WithoutItsBody() {
        ObjectStorageStateObjects state = state();
        state.create("test/304/a.json", bytes("{\"held\":[]}"));
        StateObject kept = state.read("test/304/a.json").orElseThrow();

        Optional<StateObject> same = state.readIfChanged("test/304/a.json", kept);
        assertSame("the service answered 304: the version kept is the answer", kept, same.orElseThrow());
        assertEquals(2, calls("getObject"));

        String changed = state.replace("test/304/a.json", bytes("{\"held\":[\"k1\"]}"), kept.etag());
        StateObject now = state.readIfChanged("test/304/a.json", kept).orElseThrow();
        assertEquals(changed, now.etag());
        assertArrayEquals(bytes("{\"held\":[\"k1\"]}"), now.body());

        state.delete("test/304/a.json", changed);
        assertEquals(Optional.empty(), state.readIfChanged("test/304/a.json", now));
        assertEquals("no version kept: a plain read", Optional.empty(),
                state.readIfChanged("test/304/a.json", null));
    }

    @Test
    public void deleteNeedsTheVersionReadAndAMissingObjectIsNoConflict() {
        ObjectStorageStateObjects state = state();
        String etag = state.create("test/del/a.json", bytes("{}"));
        String newer = state.replace("test/del/a.json", bytes("{\"n\":1}"), etag);
        conflict(() -> state.delete("test/del/a.json", etag));
        assertTrue("a stale delete leaves the object", state.read("test/del/a.json").isPresent());
        state.delete("test/del/a.json", newer);
        assertEquals(Optional.empty(), state.read("test/del/a.json"));
        state.delete("test/del/a.json", newer);
        state.delete("test/del/never-written.json", "9a86a492-43fa-4c8c-a80e-dbd650188ff8");
    }

    @Test
    public void listNamesThePrefixInOrderAcrossPagesUpToTheLimit() {
        ObjectStorageStateObjects state = new ObjectStorageStateObjects(bucket(OCI.config().state()), 2);
        for (String n : List.of("c", "a", "e", "b", "d")) {
            state.create("test/list/" + n + ".json", bytes("{}"));
        }
        state.create("test/listed-not/x.json", bytes("{}"));
        state.create("test/lisa.json", bytes("{}"));
        assertEquals(List.of("test/list/a.json", "test/list/b.json", "test/list/c.json", "test/list/d.json",
                "test/list/e.json"), state.list("test/list/", 100));
        assertEquals("three pages of two", 3, calls("listObjects"));
        assertEquals(List.of("test/list/a.json", "test/list/b.json", "test/list/c.json"),
                state.list("test/list/", 3));
        assertEquals(List.of(), state.list("test/nothing/", 10));
    }

    @Test
    public void failuresAreUnavailableAndNameNoContent() {
        ObjectStorageStateObjects state = state();
        String etag = state.create("test/down/a.json", bytes("{\"secret-ish\":\"body-text\"}"));
        OCI.oci().faults().set("PutObject", FaultRule.failing(1.0, 503));
        unavailable(() -> state.create("test/down/b.json", bytes("{\"secret-ish\":\"body-text\"}")), "PutObject");
        unavailable(() -> state.replace("test/down/a.json", bytes("{\"secret-ish\":\"body-text\"}"), etag),
                "PutObject");
        OCI.oci().faults().set("GetObject", FaultRule.failing(1.0, 500));
        unavailable(() -> state.read("test/down/a.json"), "GetObject");
        OCI.oci().faults().set("DeleteObject", FaultRule.failing(1.0, 429));
        unavailable(() -> state.delete("test/down/a.json", etag), "DeleteObject");
        OCI.oci().faults().set("ListObjects", FaultRule.failing(1.0, 503));
        unavailable(() -> state.list("test/down/", 10), "ListObjects");
        OCI.oci().faults().clear();
        assertEquals("the failed writes wrote nothing", Optional.empty(), state.read("test/down/b.json"));

        ObjectStorageStateObjects noBucket = new ObjectStorageStateObjects(bucket(
                new StateStore(Optional.empty(), "no-such-bucket")));
        unavailable(() -> noBucket.read("test/down/a.json"), "GetObject");
        unavailable(() -> noBucket.create("test/down/a.json", bytes("{}")), "PutObject");
        OCI.oci().faults().set("GetNamespace", FaultRule.failing(1.0, 503));
        ObjectStorageStateObjects noNamespace = new ObjectStorageStateObjects(bucket(
                new StateStore(Optional.empty(), SourceObjects.STATE_BUCKET)));
        unavailable(() -> noNamespace.read("test/down/a.json"), "GetObject");
    }

    @Test
    public void theNamespaceIsAskedOncePerContainerForTheRegistryAndTheStateObjects() {
        StateBucket bucket = bucket(new StateStore(Optional.empty(), SourceObjects.STATE_BUCKET));
        ObjectStorageStateObjects state = new ObjectStorageStateObjects(bucket);
        SourceRegistry registry = new SourceRegistry(bucket, OCI.config().targets(), OCI.config().sourceDefaults(),
                Clock.systemUTC());
        state.create("test/ns/a.json", bytes("{}"));
        state.read("test/ns/a.json");
        state.list("test/ns/", 10);
        registry.rules("ns-app");
        assertEquals(1, calls("getNamespace"));
    }

    private static void conflict(Runnable write) {
        try {
            write.run();
            fail("expected a conflict");
        } catch (StateConflictException expected) {
            // the condition failed: nothing written
        }
    }

    private static void unavailable(Runnable call, String operation) {
        try {
            call.run();
            fail("expected the state store to be unavailable");
        } catch (StateUnavailableException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(operation));
            assertFalse("no content in the message: " + expected.getMessage(),
                    expected.getMessage().contains("body-text"));
        }
    }
}
