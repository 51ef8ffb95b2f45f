package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.CreateStreamDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.CreateStreamRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.localoci.LocalOciTestBase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static dev.datasync.localoci.EmulatorRule.noRetries;

/**
 * The Streaming data plane's tests: the real StreamAdminClient and StreamClient (no retries) on the class's
 * emulator, the project's compartment, and the calls they make again and again.
 */
public abstract class StreamDataTestBase extends LocalOciTestBase {
    protected static StreamAdminClient admin;
    protected static StreamClient client;
    protected static String compartment;

    @BeforeClass
    public static void openClients() {
        admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        client = StreamClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        compartment = oci.resources().compartments().get("DataSyncCompartment");
    }

    @AfterClass
    public static void closeClients() {
        admin.close();
        client.close();
    }

    static Stream newStream(StreamAdminClient admin, String compartment, String name, int partitions) {
        return admin.createStream(CreateStreamRequest.builder().createStreamDetails(CreateStreamDetails.builder()
                .name(name).partitions(partitions).compartmentId(compartment).build()).build()).getStream();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static PutMessagesResult put(StreamClient client, String streamId, List<PutMessagesDetailsEntry> entries) {
        return client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build())
                .getPutMessagesResult();
    }

    static PutMessagesDetailsEntry entry(String key, String value) {
        return PutMessagesDetailsEntry.builder().key(key == null ? null : utf8(key)).value(utf8(value)).build();
    }

    static String cursor(StreamClient client, String streamId, int partition, CreateCursorDetails.Type type,
                         Long offset, Date time) {
        return client.createCursor(CreateCursorRequest.builder().streamId(streamId).createCursorDetails(
                CreateCursorDetails.builder().partition(String.valueOf(partition)).type(type).offset(offset)
                        .time(time).build()).build()).getCursor().getValue();
    }

    static GetMessagesResponse get(StreamClient client, String streamId, String cursor, Integer limit) {
        return client.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor).limit(limit).build());
    }

    static List<String> values(List<Message> messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(new String(m.getValue(), StandardCharsets.UTF_8)));
        return out;
    }
}
