package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.http.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.Assert.assertEquals;

/** The fast GetMessages writer must produce exactly what the SDK's mapper writes for SDK Message models. */
public class MessagesJsonWriterTest {
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
                new String(MessagesJsonWriter.write("Str\"eam", stored), StandardCharsets.UTF_8));
        assertEquals("[]", new String(MessagesJsonWriter.write("s", List.of()), StandardCharsets.UTF_8));
    }
}
