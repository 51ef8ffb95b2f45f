package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import dev.datasync.localoci.http.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

/** The fast writers must produce exactly what the SDK's mapper writes for the SDK models. */
public class StreamingJsonTest {
    @Test
    public void identicalToTheSdkMapper() {
        List<MessageLog.Stored> stored = List.of(
                new MessageLog.Stored(0, 0, 1_700_000_000_123L, "k".getBytes(StandardCharsets.UTF_8),
                        "{\"a\":\"ü\"}".getBytes(StandardCharsets.UTF_8)),
                new MessageLog.Stored(1, 42, 1_700_000_000_000L, null, new byte[] {0, -1, 2}),
                new MessageLog.Stored(3, Long.MAX_VALUE, 0L, new byte[0], new byte[0]));
        List<Message> models = new ArrayList<>();
        for (MessageLog.Stored m : stored) {
            models.add(Message.builder().stream("Str\"eam").partition(String.valueOf(m.partition())).key(m.key())
                    .value(m.value()).offset(m.offset()).timestamp(new Date(m.timestamp())).build());
        }
        assertEquals(new String(Json.write(models), StandardCharsets.UTF_8),
                new String(StreamingJson.messages("Str\"eam", stored), StandardCharsets.UTF_8));
        assertEquals("[]", new String(StreamingJson.messages("s", List.of()), StandardCharsets.UTF_8));
    }

    @Test
    public void putResultIdenticalToTheSdkMapper() {
        long ts = 1_700_000_000_456L;
        List<StreamingJson.PutOutcome> outcomes = List.of(new StreamingJson.PutOutcome(1, 7, null, null),
                new StreamingJson.PutOutcome(-1, -1, "InternalServerError", "not stored"),
                new StreamingJson.PutOutcome(0, 0, null, null));
        PutMessagesResult model = PutMessagesResult.builder().failures(1).entries(List.of(
                PutMessagesResultEntry.builder().partition("1").offset(7L).timestamp(new Date(ts)).build(),
                PutMessagesResultEntry.builder().error("InternalServerError").errorMessage("not stored").build(),
                PutMessagesResultEntry.builder().partition("0").offset(0L).timestamp(new Date(ts)).build())).build();
        assertEquals(new String(Json.write(model), StandardCharsets.UTF_8),
                new String(StreamingJson.putResult(1, outcomes, ts), StandardCharsets.UTF_8));
    }

    @Test
    public void putMessagesReadLikeTheSdkMapper() throws Exception {
        java.util.Random random = new java.util.Random(7);
        List<PutMessagesDetailsEntry> generated = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 4, 255, 256, 1024, 4097}) {
            byte[] value = new byte[n];
            random.nextBytes(value);
            byte[] key = n % 2 == 0 ? null : java.util.Arrays.copyOf(value, Math.min(n, 256));
            generated.add(PutMessagesDetailsEntry.builder().key(key).value(value).build());
        }
        List<String> bodies = List.of(
                new String(Json.write(PutMessagesDetails.builder().messages(generated).build()), StandardCharsets.UTF_8),
                "{\"messages\":[{\"key\":\"azE=\",\"value\":\"eyJhIjoxfQ==\"},{\"value\":\"eA==\"}]}",
                "{\"x\":{\"y\":[1,{\"z\":2}]},\"messages\":[{\"extra\":[1],\"value\":\"eA==\",\"key\":null}],\"w\":1}",
                "{\"messages\":[{\"key\":\"azE=\"}]}",
                "{\"messages\":[]}");
        for (String body : bodies) {
            PutMessagesDetails sdk = Json.mapper().readValue(body, PutMessagesDetails.class);
            List<StreamingJson.PutEntry> ours = StreamingJson.readPutMessages(body.getBytes(StandardCharsets.UTF_8));
            assertEquals(body, sdk.getMessages().size(), ours.size());
            for (int i = 0; i < ours.size(); i++) {
                assertArrayEquals(body, sdk.getMessages().get(i).getKey(), ours.get(i).key());
                assertArrayEquals(body, sdk.getMessages().get(i).getValue(), ours.get(i).value());
            }
        }
        assertNull(StreamingJson.readPutMessages("{}".getBytes(StandardCharsets.UTF_8)));
        for (String bad : List.of("{\"messages\":[{\"value\":\"!!\"}]}", "{\"messages\":{}}", "[]", "{", "x")) {
            try {
                StreamingJson.readPutMessages(bad.getBytes(StandardCharsets.UTF_8));
                fail("accepted " + bad);
            } catch (dev.datasync.localoci.http.OciException e) {
                assertEquals(400, e.status());
            }
        }
    }
}
