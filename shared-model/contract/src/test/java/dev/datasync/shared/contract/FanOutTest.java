package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code streamMessage.targets} in the contract: one sync request per target (its own key lane, the message's other
 * fields kept), and the form's 400s naming {@code streamMessage.targets}: both forms, not an array, empty, too many,
 * a target that is not an object; a target's own errors are placed under {@code streamMessage.targets[n]}.
 */
public class FanOutTest {

    private static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String TWO = "{\"streamKey\":\"k\",\"streamMessage\":{\"deliverAfter\":\"2026-12-08T02:00:00Z\","
            + "\"targets\":[{\"targetRestApi\":\"https://a.example/x\",\"targetRestApiOperation\":\"POST\","
            + "\"targetRestApiPayload\":{\"n\":1},\"vaultSecretName\":\"s-a\"},"
            + "{\"targetRestApi\":\"https://b.example/y\",\"targetRestApiOperation\":\"PUT\",\"other\":1}]}}";

    @Test
    public void eachTargetIsItsOwnSyncRequestInItsOwnKeyLane() {
        JsonNode request = json(TWO);
        assertTrue(FanOut.asks(request));
        List<ObjectNode> parts = FanOut.expand(request, 10).value();
        assertEquals(2, parts.size());
        assertEquals("k#0", parts.get(0).get("streamKey").asText());
        assertEquals("k#1", parts.get(1).get("streamKey").asText());
        JsonNode a = parts.get(0).get("streamMessage");
        assertEquals("https://a.example/x", a.get("targetRestApi").asText());
        assertEquals("s-a", a.get("vaultSecretName").asText());
        assertEquals("2026-12-08T02:00:00Z", a.get("deliverAfter").asText());
        assertFalse(a.has("targets"));
        JsonNode b = parts.get(1).get("streamMessage");
        assertEquals("PUT", b.get("targetRestApiOperation").asText());
        assertFalse("only the target fields are taken from a target", b.has("other"));
        assertFalse(b.has("vaultSecretName"));
        assertTrue(StreamMessageValidator.validate(a, false, "streamMessage").isOk());
        assertEquals("abc.2", FanOut.syncIdOf("abc", 2));
        assertEquals("", FanOut.keyOf("", 1));
    }

    @Test
    public void theFormsFaultsAre400NamingTargets() {
        String[] bad = {
            "{\"streamMessage\":{\"targetRestApi\":\"https://a.example/x\",\"targets\":[{}]}}",
            "{\"streamMessage\":{\"vaultSecretName\":\"s\",\"targets\":[{}]}}",
            "{\"streamMessage\":{\"targets\":{\"targetRestApi\":\"https://a.example/x\"}}}",
            "{\"streamMessage\":{\"targets\":[]}}",
            "{\"streamMessage\":{\"targets\":null}}",
            "{\"streamMessage\":{\"targets\":[{},{},{}]}}"};
        for (String b : bad) {
            Validated<List<ObjectNode>> v = FanOut.expand(json(b), 2);
            assertFalse(b, v.isOk());
            assertEquals(b, ErrorCodes.INVALID_FIELD, v.error().code());
            assertEquals(b, "streamMessage.targets", v.error().field());
        }
        Validated<List<ObjectNode>> notObject = FanOut.expand(json("{\"streamMessage\":{\"targets\":[{},3]}}"), 2);
        assertEquals("streamMessage.targets[1]", notObject.error().field());
    }

    @Test
    public void aTargetsOwnErrorIsNamedUnderItsIndex() {
        assertEquals("streamMessage.targets[2].targetRestApi", FanOut.ofTarget(new ApiError("TargetNotAllowed",
                "no", "streamMessage.targetRestApi"), 2).field());
        assertEquals("streamKey", FanOut.ofTarget(new ApiError("InvalidField", "no", "streamKey"), 0).field());
        assertEquals("streamMessage.targets[0]", FanOut.ofTarget(new ApiError("X", "no", null), 0).field());
    }
}
