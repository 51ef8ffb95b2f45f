package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.model.CreateStreamDetails;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.model.StreamSummary;
import com.oracle.bmc.streaming.requests.CreateStreamRequest;
import com.oracle.bmc.streaming.requests.DeleteStreamRequest;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import com.oracle.bmc.streaming.requests.ListStreamsRequest;
import com.oracle.bmc.streaming.responses.CreateStreamResponse;
import com.oracle.bmc.streaming.responses.ListStreamsResponse;
import dev.datasync.localoci.LocalOciTestBase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** Streaming control plane through the real StreamAdminClient. */
public class StreamAdminApiTest extends LocalOciTestBase {
    private static StreamAdminClient admin;
    private static String compartment;

    @BeforeClass
    public static void client() {
        admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        compartment = oci.resources().compartments().get("DataSyncCompartment");
    }

    @AfterClass
    public static void closeClient() {
        admin.close();
    }

    private static Stream create(String name, int partitions, Integer retention) {
        return admin.createStream(CreateStreamRequest.builder().createStreamDetails(CreateStreamDetails.builder()
                .name(name).partitions(partitions).compartmentId(compartment).retentionInHours(retention).build())
                .build()).getStream();
    }

    @Test
    public void declarationCreatedTheProjectStreams() {
        String poolId = oci.resources().streamPools().get("DataSyncStreamPool");
        Stream data = admin.getStream(GetStreamRequest.builder()
                .streamId(oci.resources().streams().get("DataSyncStream")).build()).getStream();
        assertEquals("DataSyncStream", data.getName());
        assertEquals(2, (int) data.getPartitions());
        assertEquals(24, (int) data.getRetentionInHours());
        assertEquals(poolId, data.getStreamPoolId());
        assertEquals(compartment, data.getCompartmentId());
        assertEquals(oci.baseUrl(), data.getMessagesEndpoint());
        for (String name : List.of("UnrecoverableErrorStream", "ServiceUnavailableErrorStream",
                "InternalServerErrorStream", "DefaultErrorStream")) {
            Stream s = admin.getStream(GetStreamRequest.builder()
                    .streamId(oci.resources().streams().get(name)).build()).getStream();
            assertEquals(1, (int) s.getPartitions());
        }
    }

    @Test
    public void createGetAndDelete() {
        CreateStreamResponse created = admin.createStream(CreateStreamRequest.builder().createStreamDetails(
                CreateStreamDetails.builder().name("admin-create").partitions(3).compartmentId(compartment)
                        .retentionInHours(48).build()).build());
        Stream stream = created.getStream();
        assertTrue(stream.getId().startsWith("ocid1.stream.oc1.iad."));
        assertEquals(Stream.LifecycleState.Active, stream.getLifecycleState());
        assertEquals(48, (int) stream.getRetentionInHours());
        assertNotNull(stream.getTimeCreated());
        assertNotNull(created.getOpcRequestId());

        Stream fetched = admin.getStream(GetStreamRequest.builder().streamId(stream.getId()).build()).getStream();
        assertEquals(stream.getId(), fetched.getId());
        assertEquals(3, (int) fetched.getPartitions());
        assertEquals(oci.baseUrl(), fetched.getMessagesEndpoint());

        admin.deleteStream(DeleteStreamRequest.builder().streamId(stream.getId()).build());
        Stream deleted = admin.getStream(GetStreamRequest.builder().streamId(stream.getId()).build()).getStream();
        assertEquals(Stream.LifecycleState.Deleted, deleted.getLifecycleState());
        expect(404, "NotAuthorizedOrNotFound",
                () -> admin.deleteStream(DeleteStreamRequest.builder().streamId(stream.getId()).build()));
    }

    @Test
    public void defaultRetentionIs24Hours() {
        assertEquals(24, (int) create("admin-default-retention", 1, null).getRetentionInHours());
    }

    @Test
    public void invalidCreatesAre400AndUnknownCompartmentIs404() {
        expect(400, "InvalidParameter", () -> create("bad-retention", 1, 23));
        expect(400, "InvalidParameter", () -> create("bad-retention2", 1, 169));
        expect(400, "InvalidParameter", () -> create("bad-partitions", 0, 24));
        expect(400, "InvalidParameter", () -> create("", 1, 24));
        expect(404, "NotAuthorizedOrNotFound", () -> admin.createStream(CreateStreamRequest.builder()
                .createStreamDetails(CreateStreamDetails.builder().name("x").partitions(1)
                        .compartmentId("ocid1.compartment.oc1..unknown").build()).build()));
        expect(400, "MissingParameter", () -> admin.createStream(CreateStreamRequest.builder()
                .createStreamDetails(CreateStreamDetails.builder().name("x").partitions(1).build()).build()));
    }

    @Test
    public void duplicateActiveNameInThePoolIs409() {
        create("admin-dup", 1, 24);
        expect(409, "NotAuthorizedOrResourceAlreadyExists", () -> create("admin-dup", 1, 24));
    }

    @Test
    public void unknownStreamIs404() {
        expect(404, "NotAuthorizedOrNotFound",
                () -> admin.getStream(GetStreamRequest.builder().streamId("ocid1.stream.oc1.iad.nope").build()));
    }

    @Test
    public void listFiltersAndPages() {
        String poolId = oci.resources().streamPools().get("DataSyncStreamPool");
        List<StreamSummary> inPool = admin.listStreams(ListStreamsRequest.builder().streamPoolId(poolId)
                .limit(50).build()).getItems();
        Set<String> names = new HashSet<>();
        inPool.forEach(s -> names.add(s.getName()));
        assertEquals(Set.of("DataSyncStream", "UnrecoverableErrorStream", "ServiceUnavailableErrorStream",
                "InternalServerErrorStream", "DefaultErrorStream", "DeadLetterStream"), names);
        inPool.forEach(s -> assertEquals(oci.baseUrl(), s.getMessagesEndpoint()));

        List<StreamSummary> byName = admin.listStreams(ListStreamsRequest.builder().compartmentId(compartment)
                .name("DataSyncStream").build()).getItems();
        assertEquals(1, byName.size());
        assertEquals(oci.resources().streams().get("DataSyncStream"), byName.get(0).getId());

        String id = oci.resources().streams().get("DefaultErrorStream");
        List<StreamSummary> byId = admin.listStreams(ListStreamsRequest.builder().compartmentId(compartment)
                .id(id).build()).getItems();
        assertEquals(1, byId.size());
        assertEquals("DefaultErrorStream", byId.get(0).getName());

        Stream doomed = create("admin-list-deleted", 1, 24);
        admin.deleteStream(DeleteStreamRequest.builder().streamId(doomed.getId()).build());
        List<StreamSummary> deleted = admin.listStreams(ListStreamsRequest.builder().compartmentId(compartment)
                .lifecycleState(Stream.LifecycleState.Deleted).limit(50).build()).getItems();
        assertTrue(deleted.stream().anyMatch(s -> s.getId().equals(doomed.getId())));
        assertTrue(deleted.stream().allMatch(s -> s.getLifecycleState() == StreamSummary.LifecycleState.Deleted));

        // paging: 2 per page over the pool's 6 streams, sorted by name
        List<String> paged = new java.util.ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            ListStreamsResponse r = admin.listStreams(ListStreamsRequest.builder().streamPoolId(poolId).limit(2)
                    .sortBy(ListStreamsRequest.SortBy.Name).sortOrder(ListStreamsRequest.SortOrder.Asc)
                    .page(page).build());
            r.getItems().forEach(s -> paged.add(s.getName()));
            page = r.getOpcNextPage();
            pages++;
        } while (page != null);
        assertEquals(3, pages);
        assertEquals(List.of("DataSyncStream", "DeadLetterStream", "DefaultErrorStream", "InternalServerErrorStream",
                "ServiceUnavailableErrorStream", "UnrecoverableErrorStream"), paged);

        expect(400, "InvalidParameter", () -> admin.listStreams(ListStreamsRequest.builder().build()));
        expect(400, "InvalidParameter", () -> admin.listStreams(ListStreamsRequest.builder()
                .compartmentId(compartment).streamPoolId(poolId).build()));
        expect(400, "InvalidParameter", () -> admin.listStreams(ListStreamsRequest.builder()
                .compartmentId(compartment).limit(51).build()));
    }

    @Test
    public void declarationIsIdempotentAcrossRestart() throws Exception {
        // A second emulator on the same data dir must find, not duplicate, the declared streams.
        java.util.Map<String, String> before = oci.resources().streams();
        oci = EMULATOR.restart();
        assertEquals(before, oci.resources().streams());
        admin.close();
        admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        List<StreamSummary> named = admin.listStreams(ListStreamsRequest.builder().compartmentId(compartment)
                .name("DataSyncStream").lifecycleState(Stream.LifecycleState.Active).build()).getItems();
        assertEquals(1, named.size());
    }
}
