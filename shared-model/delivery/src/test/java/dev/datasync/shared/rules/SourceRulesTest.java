package dev.datasync.shared.rules;

import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.state.OutageStateObjects;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateUnavailableException;
import org.junit.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Issue 15: the rules every container reads, once per batch and source, never older than the batch. */
public class SourceRulesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void eachBatchAsksOncePerSourceAndAChangeAppliesFromTheNextBatch() {
        InMemoryStateObjects state = new InMemoryStateObjects();
        String etag = state.create(RulesFile.objectName("orders"), utf8("{\"filter\":\"true\"}"));
        SourceRules rules = new SourceRules(state, RulesSettings.DEFAULT);

        int before = state.calls();
        RulesPass first = rules.begin();
        CompiledRules v1 = first.of("orders").orElseThrow();
        assertSame("a batch reads a source's rules once", v1, first.of("orders").orElseThrow());
        assertTrue("a source without rules has none", first.of("billing").isEmpty());
        assertEquals(2, state.calls() - before);

        assertSame("unchanged (304): the compiled rules are reused", v1, rules.begin().of("orders").orElseThrow());

        state.replace(RulesFile.objectName("orders"), utf8("{\"filter\":\"false\"}"), etag);
        CompiledRules v2 = rules.begin().of("orders").orElseThrow();
        assertNotEquals(v1.version(), v2.version());
        assertEquals(RulesVersion.of(utf8("{\"filter\":\"false\"}")), v2.version());

        StateObject now = state.read(RulesFile.objectName("orders")).orElseThrow();
        state.delete(RulesFile.objectName("orders"), now.etag());
        assertTrue("cleared: no rules from the next batch on", rules.begin().of("orders").isEmpty());
    }

    @Test
    public void anUnreadableStateBucketIsNeverTakenForNoRules() {
        InMemoryStateObjects store = new InMemoryStateObjects();
        store.create(RulesFile.objectName("orders"), utf8("{\"filter\":\"true\"}"));
        OutageStateObjects state = new OutageStateObjects(store);
        SourceRules rules = new SourceRules(state, RulesSettings.DEFAULT);
        state.takeDown();
        RulesPass pass = rules.begin();
        for (int i = 0; i < 2; i++) {
            try {
                pass.of("orders");
                fail("no rules from an unreadable store");
            } catch (StateUnavailableException expected) {
                // every message of the source in this batch fails alike
            }
        }
    }
}
