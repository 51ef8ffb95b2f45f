package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.RepoFiles;
import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

public class SyncRequestReaderTest {

    static JsonNode json(String s) throws IOException {
        return Json.parse(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    static String msg(String fields) {
        return "{'streamKey':'k1','streamMessage':{" + fields + "}}";
    }

    static final String OK = "'targetRestApi':'https://orders.example.com/api','targetRestApiOperation':'POST'";

    @Test
    public void readsThePublicExample() throws IOException {
        Path example = RepoFiles.example("sync-request.json");
        Validated<SyncRequest> r = SyncRequestReader.read(Json.parse(Files.readAllBytes(example)), false);
        assertTrue(String.valueOf(r.error()), r.isOk());
        StreamMessage m = r.value().streamMessage();
        assertEquals("key1", r.value().streamKey());
        assertEquals("789", m.vaultSecretName());
        assertEquals("https://orders.example.com/api/latest/orders", m.targetRestApi());
        assertEquals("POST", m.targetRestApiOperation());
        assertEquals("18jan", m.targetRestApiPayload().get("orderid").asText());
        assertEquals(new Header("Content-Type", "application/json"), m.targetRestApiHeaders().get(0));
    }

    @Test
    public void callerSuppliedSyncIdIsDroppedAndUnknownFieldsKept() throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json(msg(OK + ",'syncId':'mine','extraField':{'a':1}")), false);
        assertTrue(r.isOk());
        StreamMessage m = r.value().streamMessage();
        assertNull(m.syncId());
        assertEquals(1, m.extra().get("extraField").get("a").asInt());
        StreamMessage stamped = m.withSyncId("id-1", Instant.parse("2026-11-25T06:00:00Z"));
        JsonNode stored = stamped.toJson();
        assertEquals("id-1", stored.get("syncId").asText());
        assertEquals("2026-11-25T06:00:00Z", stored.get("receivedAt").asText());
        assertEquals(1, stored.get("extraField").get("a").asInt());
        assertEquals(stamped, StreamMessage.fromJson(stored));
    }

    @Test
    public void emptyKeyMeansNoKeyAndMissingHeadersMeansNone() throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json("{'streamKey':'','streamMessage':{" + OK + "}}"), false);
        assertTrue(r.isOk());
        assertNull(r.value().streamKey());
        assertTrue(r.value().streamMessage().targetRestApiHeaders().isEmpty());
        assertNull(r.value().streamMessage().vaultSecretName());
    }

    @Test
    public void operationIsNormalised() throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json(msg(
                "'targetRestApi':'https://a.example.com','targetRestApiOperation':'patch'")), false);
        assertEquals("PATCH", r.value().streamMessage().targetRestApiOperation());
    }

    @Test
    public void eachInvalidInputNamesItsField() throws IOException {
        refused("{'streamKey':'k'}", "MissingField", "streamMessage");
        refused("{'streamMessage':[1]}", "InvalidField", "streamMessage");
        refused("[1]", "InvalidField", null);
        refused("{'streamKey':5,'streamMessage':{" + OK + "}}", "InvalidField", "streamKey");
        refused("{'streamKey':'" + "k".repeat(257) + "','streamMessage':{" + OK + "}}", "TooLarge", "streamKey");
        refused(msg("'targetRestApiOperation':'POST'"), "MissingField", "streamMessage.targetRestApi");
        refused(msg("'targetRestApi':'/relative','targetRestApiOperation':'POST'"), "InvalidField",
                "streamMessage.targetRestApi");
        refused(msg("'targetRestApi':'http://a.example.com','targetRestApiOperation':'POST'"), "InvalidField",
                "streamMessage.targetRestApi");
        refused(msg("'targetRestApi':'ftp://a.example.com','targetRestApiOperation':'POST'"), "InvalidField",
                "streamMessage.targetRestApi");
        refused(msg("'targetRestApi':'https://u:p@a.example.com','targetRestApiOperation':'POST'"), "InvalidField",
                "streamMessage.targetRestApi");
        refused(msg("'targetRestApi':'https://a.example.com'"), "MissingField",
                "streamMessage.targetRestApiOperation");
        refused(msg("'targetRestApi':'https://a.example.com','targetRestApiOperation':'GET'"), "InvalidField",
                "streamMessage.targetRestApiOperation");
        refused(msg(OK + ",'targetRestApiHeaders':{'key':'a'}"), "InvalidField", "streamMessage.targetRestApiHeaders");
        refused(msg(OK + ",'targetRestApiHeaders':[{'key':'a'}]"), "InvalidField",
                "streamMessage.targetRestApiHeaders[0]");
        refused(msg(OK + ",'targetRestApiHeaders':[{'key':'a','value':'b'},{'key':'bad name','value':'b'}]"),
                "InvalidField", "streamMessage.targetRestApiHeaders[1].key");
        refused(msg(OK + ",'targetRestApiHeaders':[{'key':'X-A','value':'b\\r\\nX-Evil: 1'}]"), "InvalidField",
                "streamMessage.targetRestApiHeaders[0].value");
        refused(msg(OK + ",'targetRestApiHeaders':[{'key':'Host','value':'evil'}]"), "ForbiddenHeader",
                "streamMessage.targetRestApiHeaders[0].key");
        refused(msg(OK + ",'vaultSecretName':'a b'"), "InvalidField", "streamMessage.vaultSecretName");
        refused(msg(OK + ",'vaultSecretName':7"), "InvalidField", "streamMessage.vaultSecretName");
        refused(msg(OK + ",'vaultSecretName':'" + "a".repeat(256) + "'"), "InvalidField",
                "streamMessage.vaultSecretName");
    }

    /** Regression (reference): an Authorization entry in targetRestApiHeaders was sent next to the Vault token. */
    @Test
    public void authorizationHeaderInsideTheMessageIsRefused() throws IOException {
        refused(msg(OK + ",'targetRestApiHeaders':[{'key':'authorization','value':'Bearer x'}]"), "ForbiddenHeader",
                "streamMessage.targetRestApiHeaders[0].key");
        Validated<SyncRequest> r = SyncRequestReader.read(json(
                msg(OK + ",'targetRestApiHeaders':[{'key':'Authorization','value':'Bearer secret-token'}]")), false);
        assertFalse(r.error().message().contains("secret-token"));
    }

    @Test
    public void httpIsAcceptedOnlyWhenAllowed() throws IOException {
        assertTrue(SyncRequestReader.read(json(msg(
                "'targetRestApi':'http://a.example.com/x','targetRestApiOperation':'PUT'")), true).isOk());
    }

    @Test
    public void apiErrorFieldIsPrefixedForArrayItems() {
        ApiError e = new ApiError("InvalidField", "m", "streamMessage.targetRestApi");
        assertEquals("[3].streamMessage.targetRestApi", e.under("[3]").field());
        assertEquals("[3]", new ApiError("x", "m", null).under("[3]").field());
    }

    static void refused(String body, String code, String field) throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json(body), false);
        assertFalse(body, r.isOk());
        assertEquals(body + " -> " + r.error(), code, r.error().code());
        assertEquals(body + " -> " + r.error(), field, r.error().field());
    }
}
