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
        StreamMessage stamped = m.accepted("id-1", Instant.parse("2026-11-25T06:00:00Z"), "orders-app");
        JsonNode stored = stamped.toJson();
        assertEquals("id-1", stored.get("syncId").asText());
        assertEquals("2026-11-25T06:00:00Z", stored.get("receivedAt").asText());
        assertEquals("orders-app", stored.get("sourceId").asText());
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

    /** Issue 9: a method is sent exactly as written, so it must be one of the four as written ("post" is not). */
    @Test
    public void operationMatchesCaseSensitively() throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json(msg(
                "'targetRestApi':'https://a.example.com','targetRestApiOperation':'PATCH'")), false);
        assertEquals("PATCH", r.value().streamMessage().targetRestApiOperation());
        for (String op : new String[]{"patch", "post", "Post", "pUT", "delete"}) {
            refused(msg("'targetRestApi':'https://a.example.com','targetRestApiOperation':'" + op + "'"),
                    "InvalidField", "streamMessage.targetRestApiOperation");
        }
    }

    /** Issue 9: the pipeline's own fields are set by the pipeline; whatever a caller sends for them is dropped. */
    @Test
    public void everyPipelineOwnedFieldACallerSendsIsDropped() throws IOException {
        Validated<SyncRequest> r = SyncRequestReader.read(json(msg(OK + ",'sourceId':'someone-else',"
                + "'syncId':'mine','receivedAt':'2020-01-01T00:00:00Z','deliveryAttempts':99,"
                + "'lastError':{'status':500},'source':{'stream':'x'},'undecodableValue':'AAAA',"
                + "'undecodableValueTruncated':true,'undecodableJson':[1],'valueSha256':'00','valueBytes':1,"
                + "'keep':'me'")), false);
        assertTrue(String.valueOf(r.error()), r.isOk());
        StreamMessage m = r.value().streamMessage();
        assertNull(m.sourceId());
        assertNull(m.syncId());
        assertNull(m.receivedAt());
        assertEquals(java.util.Set.of("keep"), m.extra().keySet());
        JsonNode stored = m.accepted("id-1", Instant.parse("2026-11-25T06:00:00Z"), "orders-app").toJson();
        assertEquals("orders-app", stored.get("sourceId").asText());
        for (String owned : PipelineFields.ALL) {
            if (!owned.equals("syncId") && !owned.equals("receivedAt") && !owned.equals("sourceId")) {
                assertFalse(owned, stored.has(owned));
            }
        }
        // a caller's sourceId is dropped before validation: even one that is no source id is not a reason to refuse
        assertTrue(SyncRequestReader.read(json(msg(OK + ",'sourceId':{'a':'B A D'}")), false).isOk());
    }

    /**
     * Issue 10: every owned field, the envelope's new ones included, in any letter case, is dropped from the
     * streamMessage; what a caller puts beside streamMessage is never read; the payload's own members are its data.
     */
    @Test
    public void ownedFieldsInAnyLetterCaseAreDroppedAndNothingBesideTheMessageIsStored() throws IOException {
        StringBuilder forged = new StringBuilder(OK);
        for (String owned : PipelineFields.ALL) {
            forged.append(",'").append(owned).append("':9223372036854775807");
            forged.append(",'").append(owned.toUpperCase(java.util.Locale.ROOT)).append("':1");
            forged.append(",'").append(Character.toUpperCase(owned.charAt(0))).append(owned.substring(1))
                    .append("':{'status':500}");
        }
        forged.append(",'targetRestApiPayload':{'deliveryAttempts':5},'keep':'me'");
        Validated<SyncRequest> r = SyncRequestReader.read(json("{'deliveryAttempts':9223372036854775807,"
                + "'lastError':{},'syncId':'mine','streamKey':'k1','streamMessage':{" + forged + "}}"), false);
        assertTrue(String.valueOf(r.error()), r.isOk());
        StreamMessage m = r.value().streamMessage();
        assertEquals(java.util.Set.of("keep"), m.extra().keySet());
        JsonNode stored = m.accepted("id-1", Instant.parse("2026-11-25T06:00:00Z"), "orders-app").toJson();
        java.util.List<String> names = new java.util.ArrayList<>();
        stored.fieldNames().forEachRemaining(names::add);
        assertEquals(java.util.List.of("targetRestApi", "targetRestApiOperation", "targetRestApiPayload",
                "targetRestApiHeaders", "keep", "syncId", "receivedAt", "sourceId"), names);
        assertEquals("id-1", stored.get("syncId").asText());
        assertEquals(5, stored.get("targetRestApiPayload").get("deliveryAttempts").asInt());
        for (String owned : PipelineFields.ALL) {
            assertTrue(owned, PipelineFields.isOwned(owned.toUpperCase(java.util.Locale.ROOT)));
        }
        assertTrue(PipelineFields.isEnvelope("DeliveryAttempts"));
        assertFalse(PipelineFields.isEnvelope("syncId"));
        assertFalse(PipelineFields.isOwned("deliveryAttempt"));
    }

    /** Issue 9: a header value that cannot reach the target as written (not printable US-ASCII) is refused. */
    @Test
    public void headerValuesOutsidePrintableAsciiAreRefused() throws IOException {
        String[] values = {"caf\u00e9", "\u00a0", "\u20ac", "\ud83d\ude00", "\u007f", "a\\u0000", "\\u0001"};
        for (String value : values) {
            refused(msg(OK + ",'targetRestApiHeaders':[{'key':'X-A','value':'ok'},{'key':'X-B','value':'" + value
                    + "'}]"), "InvalidField", "streamMessage.targetRestApiHeaders[1].value");
        }
        assertTrue(SyncRequestReader.read(json(msg(OK + ",'targetRestApiHeaders':[{'key':'X-A','value':"
                + "' !~ tab\\tend'}]")), false).isOk());
    }

    /** Issue 9: a port no connection can use is refused when the message is accepted, not on every delivery. */
    @Test
    public void targetPortOutsideTheValidRangeIsRefused() throws IOException {
        for (String port : new String[]{"0", "65536", "70000", "99999999999"}) {
            refused(msg("'targetRestApi':'https://a.example.com:" + port + "/x','targetRestApiOperation':'POST'"),
                    "InvalidField", "streamMessage.targetRestApi");
        }
        assertTrue(SyncRequestReader.read(json(msg(
                "'targetRestApi':'https://a.example.com:65535/x','targetRestApiOperation':'POST'")), false).isOk());
        assertTrue(SyncRequestReader.read(json(msg(
                "'targetRestApi':'https://a.example.com:1/x','targetRestApiOperation':'POST'")), false).isOk());
    }

    /** A stored message's sourceId picks whose secret a delivery reads: it must be a source id. */
    @Test
    public void aStoredMessageCarriesItsSourceIdAndABadOneIsRefused() throws IOException {
        Validated<StreamMessage> ok = StreamMessageValidator.validate(json("{" + OK + ",'sourceId':'orders-app'}"),
                false, null);
        assertEquals("orders-app", ok.value().sourceId());
        for (String bad : new String[]{"'Orders'", "''", "5", "null", "'a/b'", "'" + "a".repeat(33) + "'"}) {
            Validated<StreamMessage> v = StreamMessageValidator.validate(json("{" + OK + ",'sourceId':" + bad + "}"),
                    false, null);
            assertFalse(bad, v.isOk());
            assertEquals("sourceId", v.error().field());
        }
        assertNull(StreamMessageValidator.validate(json("{" + OK + "}"), false, null).value().sourceId());
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
