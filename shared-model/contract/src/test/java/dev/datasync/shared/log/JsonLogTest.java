package dev.datasync.shared.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class JsonLogTest {

    @Test
    public void writesOneJsonObjectPerLine() throws Exception {
        List<String> lines = new ArrayList<>();
        JsonLog log = JsonLog.to(lines::add, Clock.fixed(Instant.parse("2026-11-25T06:00:00Z"), ZoneOffset.UTC))
                .component("populate");
        log.info("sync.accepted").syncId("s1").streamId("ocid1.stream.oc1..d").partition("0").offset(41)
                .targetHost("orders.example.com").status(202).attempt(1).latencyMs(12).write();
        log.warn("x").reason("line\nbreak \"quoted\"").write();
        assertEquals(2, lines.size());
        JsonNode n = Json.parse(lines.get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals("2026-11-25T06:00:00Z", n.get("ts").asText());
        assertEquals("INFO", n.get("level").asText());
        assertEquals("populate", n.get("component").asText());
        assertEquals("sync.accepted", n.get("event").asText());
        assertEquals("s1", n.get("syncId").asText());
        assertEquals(41, n.get("offset").asLong());
        assertEquals("orders.example.com", n.get("targetHost").asText());
        assertEquals(202, n.get("status").asInt());
        assertEquals(!lines.get(1).contains("\n"), true);
        assertEquals("line\nbreak \"quoted\"", Json.parse(lines.get(1).getBytes(StandardCharsets.UTF_8))
                .get("reason").asText());
    }

    @Test
    public void eachThingGoesUnderItsOneName() throws Exception {
        List<String> lines = new ArrayList<>();
        JsonLog.to(lines::add, Clock.systemUTC()).component("populate").warn("sync.rejected").stream("DataSyncStream")
                .streamId("ocid1.stream.oc1..d").errorStreamId("ocid1.stream.oc1..e").status(400).code("MissingField")
                .field("streamMessage.targetRestApi").reason("targetRestApi is required").outcome("rejected").item(3)
                .write();
        JsonNode n = Json.parse(lines.get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals("DataSyncStream", n.get(LogFields.STREAM).asText());
        assertEquals("ocid1.stream.oc1..d", n.get(LogFields.STREAM_ID).asText());
        assertEquals("ocid1.stream.oc1..e", n.get(LogFields.ERROR_STREAM_ID).asText());
        assertEquals(400, n.get(LogFields.STATUS).asInt());
        assertEquals("MissingField", n.get(LogFields.CODE).asText());
        assertEquals("streamMessage.targetRestApi", n.get(LogFields.FIELD).asText());
        assertEquals("targetRestApi is required", n.get(LogFields.REASON).asText());
        assertEquals("rejected", n.get(LogFields.OUTCOME).asText());
        assertEquals(3, n.get(LogFields.ITEM).asInt());
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(LogFields.FIXED, names.subList(0, 4));
        assertTrue(names.toString(), LogFields.ALL.containsAll(names));
    }
}
