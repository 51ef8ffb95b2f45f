package dev.datasync.read;

import dev.datasync.shared.routing.InboundMessage;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

public class SchBatchReaderTest {

    private static List<InboundMessage> read(String body) {
        return SchBatchReader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void decodesKeyAndValueAndAcceptsBothTimestampFormsAndStringOffsets() {
        List<InboundMessage> ms = read("[{\"stream\":\"S\",\"partition\":\"1\",\"key\":\"a2V5MQ==\",\"value\":\"e30=\","
                + "\"offset\":41,\"timestamp\":\"2026-11-25T06:00:00.123Z\"},"
                + "{\"stream\":\"S\",\"partition\":0,\"key\":null,\"value\":\"e30=\",\"offset\":\"9000000000\","
                + "\"timestamp\":1764050400456}]");
        assertEquals("key1", ms.get(0).key());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), ms.get(0).value());
        assertEquals("1", ms.get(0).source().partition());
        assertEquals(Long.valueOf(41), ms.get(0).source().offset());
        assertNull(ms.get(1).key());
        assertEquals("0", ms.get(1).source().partition());
        assertEquals(Long.valueOf(9_000_000_000L), ms.get(1).source().offset());
    }

    @Test
    public void anythingUndecodableIsKeptWithItsReasonNeverDropped() {
        List<InboundMessage> ms = read("[{\"key\":null,\"value\":\"%%not base64\",\"offset\":1},"
                + "{\"key\":\"!!\",\"value\":\"e30=\",\"offset\":2},"
                + "{\"key\":null,\"offset\":3},"
                + "42]");
        assertEquals(4, ms.size());
        assertNull(ms.get(0).value());
        assertEquals("%%not base64", ms.get(0).rawValue());
        assertEquals("message value is not base64", ms.get(0).problem());
        assertEquals("message key is not base64", ms.get(1).problem());
        assertEquals("e30=", ms.get(1).rawValue());
        assertEquals("message has no value", ms.get(2).problem());
        assertEquals("batch element is not a JSON object", ms.get(3).problem());
    }

    @Test
    public void aBodyThatIsNotAJsonArrayBecomesOneUndecodableMessage() {
        assertEquals("the batch is not JSON", read("{oops").get(0).problem());
        assertEquals("the batch is not a JSON array", read("{}").get(0).problem());
        assertEquals(0, read("[]").size());
    }
}
