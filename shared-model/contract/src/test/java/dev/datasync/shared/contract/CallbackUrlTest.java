package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.net.URI;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * {@code streamMessage.callbackUrl} in the contract's validation: a URL of a target's form is read (and kept in the
 * message), anything else is 400 naming {@code streamMessage.callbackUrl}. Whether its host is allowed is the sync
 * checker's (SyncItemCheckerTest).
 */
public class CallbackUrlTest {

    private static JsonNode message(String callbackUrl) {
        try {
            return Json.parse(("{\"targetRestApi\":\"https://orders.example.com/x\",\"targetRestApiOperation\":\"POST\""
                    + (callbackUrl == null ? "" : ",\"callbackUrl\":" + callbackUrl) + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void aUrlOfATargetsFormIsReadAndKept() {
        Validated<StreamMessage> v = StreamMessageValidator.validate(message("\"https://app.example.com/done?x=1\""),
                false, "streamMessage");
        assertTrue(v.isOk());
        assertEquals(URI.create("https://app.example.com/done?x=1"), CallbackUrl.of(v.value()));
        assertEquals("https://app.example.com/done?x=1", v.value().toJson().get("callbackUrl").asText());
        assertNull(CallbackUrl.of(StreamMessageValidator.validate(message(null), false, null).value()));
        assertNull(CallbackUrl.of(StreamMessageValidator.validate(message("null"), false, null).value()));
        assertTrue("http only where targets may use it",
                StreamMessageValidator.validate(message("\"http://127.0.0.1:9/cb\""), true, null).isOk());
    }

    @Test
    public void anythingElseIs400NamingTheField() {
        for (String bad : new String[]{"\"not a url\"", "\"/relative/path\"", "\"ftp://app.example.com/x\"",
                "\"http://app.example.com/x\"", "\"https://user:pw@app.example.com/x\"", "12", "{\"url\":\"x\"}",
                "\"https:///no-host\""}) {
            Validated<StreamMessage> v = StreamMessageValidator.validate(message(bad), false, "streamMessage");
            assertNotNull(bad, v.error());
            assertEquals(bad, ErrorCodes.INVALID_FIELD, v.error().code());
            assertEquals(bad, "streamMessage.callbackUrl", v.error().field());
            assertTrue(bad + ": " + v.error().message(), v.error().message().startsWith("callbackUrl"));
        }
    }
}
