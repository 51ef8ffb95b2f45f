package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.CreateGroupCursorDetails;
import com.oracle.bmc.streaming.model.Group;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PartitionReservation;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.requests.ConsumerCommitRequest;
import com.oracle.bmc.streaming.requests.ConsumerHeartbeatRequest;
import com.oracle.bmc.streaming.requests.CreateGroupCursorRequest;
import com.oracle.bmc.streaming.requests.GetGroupRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import org.junit.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Consumer groups: CreateGroupCursor, GetMessages with group cursors, ConsumerCommit, ConsumerHeartbeat, GetGroup. */
public class ConsumerGroupApiTest extends StreamDataTestBase {
    private static String groupCursor(String streamId, String group, String instance, CreateGroupCursorDetails.Type type,
                                      Boolean commitOnGet) {
        return client.createGroupCursor(CreateGroupCursorRequest.builder().streamId(streamId).createGroupCursorDetails(
                CreateGroupCursorDetails.builder().groupName(group).instanceName(instance).type(type)
                        .commitOnGet(commitOnGet).timeoutInMs(30_000).build()).build()).getCursor().getValue();
    }

    private static Group group(String streamId, String group) {
        return client.getGroup(GetGroupRequest.builder().streamId(streamId).groupName(group).build()).getGroup();
    }

    private static List<PutMessagesDetailsEntry> batch(String prefix, int n) {
        List<PutMessagesDetailsEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(entry(prefix + i, prefix + i));
        }
        return out;
    }

    @Test
    public void manualCommitLeavesTheCommittedOffsetUntilConsumerCommit() {
        Stream s = newStream(admin, compartment, "group-manual", 1);
        put(client, s.getId(), batch("m", 5));
        String cursor = groupCursor(s.getId(), "g1", "i1", CreateGroupCursorDetails.Type.TrimHorizon, false);
        GetMessagesResponse first = get(client, s.getId(), cursor, 3);
        assertEquals(List.of("m0", "m1", "m2"), values(first.getItems()));
        // a second get with the NEXT cursor does not commit either
        get(client, s.getId(), first.getOpcNextCursor(), 1);
        assertNull(group(s.getId(), "g1").getReservations().get(0).getCommittedOffset());

        // a new instance cursor (e.g. after a crash) starts again from the uncommitted position
        String again = groupCursor(s.getId(), "g1", "i1", CreateGroupCursorDetails.Type.Latest, false);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), values(get(client, s.getId(), again, null).getItems()));

        client.consumerCommit(ConsumerCommitRequest.builder().streamId(s.getId())
                .cursor(first.getOpcNextCursor()).build());
        assertEquals(2L, (long) group(s.getId(), "g1").getReservations().get(0).getCommittedOffset());
        String resumed = groupCursor(s.getId(), "g1", "i1", CreateGroupCursorDetails.Type.TrimHorizon, false);
        assertEquals(List.of("m3", "m4"), values(get(client, s.getId(), resumed, null).getItems()));
    }

    @Test
    public void commitOnGetCommitsWhatThePreviousGetReturned() {
        Stream s = newStream(admin, compartment, "group-auto", 1);
        put(client, s.getId(), batch("a", 4));
        String cursor = groupCursor(s.getId(), "g", "i", CreateGroupCursorDetails.Type.TrimHorizon, null);
        GetMessagesResponse first = get(client, s.getId(), cursor, 2);
        assertEquals(List.of("a0", "a1"), values(first.getItems()));
        assertNull(group(s.getId(), "g").getReservations().get(0).getCommittedOffset());
        GetMessagesResponse second = get(client, s.getId(), first.getOpcNextCursor(), 2);
        assertEquals(List.of("a2", "a3"), values(second.getItems()));
        assertEquals(1L, (long) group(s.getId(), "g").getReservations().get(0).getCommittedOffset());
    }

    @Test
    public void groupTypeAppliesOnlyWhenTheGroupIsCreated() {
        Stream s = newStream(admin, compartment, "group-type", 1);
        put(client, s.getId(), batch("x", 2));
        String latest = groupCursor(s.getId(), "late", "i", CreateGroupCursorDetails.Type.Latest, false);
        assertEquals(0, get(client, s.getId(), latest, null).getItems().size());
        put(client, s.getId(), batch("y", 1));
        // TRIM_HORIZON now is ignored: the group exists and starts where it was created
        String again = groupCursor(s.getId(), "late", "i", CreateGroupCursorDetails.Type.TrimHorizon, false);
        assertEquals(List.of("y0"), values(get(client, s.getId(), again, null).getItems()));
    }

    @Test
    public void oneInstanceReadsAllPartitionsTwoInstancesSplitThem() {
        Stream s = newStream(admin, compartment, "group-partitions", 2);
        put(client, s.getId(), batch("k", 40));
        String solo = groupCursor(s.getId(), "split", "a", CreateGroupCursorDetails.Type.TrimHorizon, false);
        GetMessagesResponse all = get(client, s.getId(), solo, null);
        assertEquals(40, all.getItems().size());
        Group g = group(s.getId(), "split");
        assertEquals(2, g.getReservations().size());
        for (PartitionReservation r : g.getReservations()) {
            assertEquals("a", r.getReservedInstance());
            assertNotNull(r.getTimeReservedUntil());
        }

        String b = groupCursor(s.getId(), "split", "b", CreateGroupCursorDetails.Type.TrimHorizon, false);
        Set<String> partitionsOfB = new HashSet<>();
        get(client, s.getId(), b, null).getItems().forEach(m -> partitionsOfB.add(m.getPartition()));
        Set<String> partitionsOfA = new HashSet<>();
        get(client, s.getId(), solo, null).getItems().forEach(m -> partitionsOfA.add(m.getPartition()));
        assertEquals(1, partitionsOfB.size());
        assertEquals(1, partitionsOfA.size());
        assertTrue(java.util.Collections.disjoint(partitionsOfA, partitionsOfB));

        // b stops heart-beating: after its timeout a takes everything again
        clock.advance(Duration.ofSeconds(31));
        String aFresh = groupCursor(s.getId(), "split", "a", CreateGroupCursorDetails.Type.TrimHorizon, false);
        List<Message> again = get(client, s.getId(), aFresh, null).getItems();
        assertEquals(40, again.size());
    }

    @Test
    public void heartbeatKeepsTheReservation() {
        Stream s = newStream(admin, compartment, "group-heartbeat", 2);
        String a = groupCursor(s.getId(), "hb", "a", CreateGroupCursorDetails.Type.TrimHorizon, false);
        groupCursor(s.getId(), "hb", "b", CreateGroupCursorDetails.Type.TrimHorizon, false);
        clock.advance(Duration.ofSeconds(20));
        String beat = client.consumerHeartbeat(ConsumerHeartbeatRequest.builder().streamId(s.getId()).cursor(a)
                .build()).getCursor().getValue();
        assertNotNull(beat);
        clock.advance(Duration.ofSeconds(20)); // b expired, a alive thanks to the heartbeat
        Group g = group(s.getId(), "hb");
        for (PartitionReservation r : g.getReservations()) {
            assertEquals("a", r.getReservedInstance());
        }
    }

    @Test
    public void errors() {
        Stream s = newStream(admin, compartment, "group-errors", 1);
        expect(404, "NotAuthorizedOrNotFound", () -> group(s.getId(), "nobody"));
        expect(400, "InvalidParameter", () -> client.createGroupCursor(CreateGroupCursorRequest.builder()
                .streamId(s.getId()).createGroupCursorDetails(CreateGroupCursorDetails.builder()
                        .type(CreateGroupCursorDetails.Type.Latest).build()).build()));
        expect(400, "MissingParameter", () -> client.createGroupCursor(CreateGroupCursorRequest.builder()
                .streamId(s.getId()).createGroupCursorDetails(CreateGroupCursorDetails.builder().groupName("g")
                        .type(CreateGroupCursorDetails.Type.AtTime).build()).build()));
        String partitionCursor = cursor(client, s.getId(), 0,
                com.oracle.bmc.streaming.model.CreateCursorDetails.Type.Latest, null, null);
        expect(400, "InvalidParameter", () -> client.consumerCommit(ConsumerCommitRequest.builder()
                .streamId(s.getId()).cursor(partitionCursor).build()));
        expect(400, "InvalidParameter", () -> client.consumerHeartbeat(ConsumerHeartbeatRequest.builder()
                .streamId(s.getId()).cursor(partitionCursor).build()));
    }
}
