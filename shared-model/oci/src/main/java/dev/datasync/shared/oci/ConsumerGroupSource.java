package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.CreateGroupCursorDetails;
import com.oracle.bmc.streaming.model.PartitionReservation;
import com.oracle.bmc.streaming.requests.ConsumerCommitRequest;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.CreateGroupCursorRequest;
import com.oracle.bmc.streaming.requests.GetGroupRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.shared.redrive.RedriveSource;
import dev.datasync.shared.retry.StreamUnavailableException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link RedriveSource} over a Streaming consumer group: CreateGroupCursor (TRIM_HORIZON for a new group, commit on
 * get off, this container's stable instance name), GetMessages through the group cursor, ConsumerCommit with the
 * cursor returned after the last page handed over.
 * <p>
 * The stream's end as it was when the pass opened it: right after the first GetMessages (which makes this instance
 * a member of the group on every implementation), GetGroup names the partitions reserved to it, and a LATEST cursor
 * is created on each — before the pass appends anything. The first message such a cursor later yields is the first
 * appended after the pass began, looked up (one GetMessages of one message) for the partitions of each page until
 * known. The pass ends once each reserved partition has been read up to its end (the next read asks for no more
 * than remains before the tips), with an empty page, or with a page whose every message was appended after it
 * began. The last case costs one page read and settled a second time (copied forward again): it happens only when
 * an instance holds several partitions and one of them had nothing to read, so its end stays unknown.
 */
public final class ConsumerGroupSource implements RedriveSource {

    private final Stream client;
    private final String instance;

    /** @param instance this container's name in every group, the same for all its passes */
    public ConsumerGroupSource(Stream client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    @Override
    public Reading open(String streamOcid, String group) {
        try {
            return new GroupReading(streamOcid, group);
        } catch (BmcException e) {
            throw unavailable(e);
        }
    }

    private static StreamUnavailableException unavailable(BmcException e) {
        return new StreamUnavailableException(e.getStatusCode(), e.getServiceCode(), e);
    }

    private final class GroupReading implements Reading {

        private final String stream;
        /** partition → LATEST cursor created when the pass began (until the first message after it is known). */
        private final Map<String, String> tipCursors = new HashMap<>();
        /** partition → offset of the first message appended after the pass began. */
        private final Map<String, Long> firstAfterStart = new HashMap<>();
        /** partition → offset after the last message handed over. */
        private final Map<String, Long> position = new HashMap<>();
        private String cursor;
        private String committable;
        private List<com.oracle.bmc.streaming.model.Message> prefetched;
        private int limit = PartitionReader.FIRST_PAGE_LIMIT;
        private long largest;
        private boolean done;
        private boolean reachedTip;

        GroupReading(String stream, String group) {
            this.stream = stream;
            this.cursor = client.createGroupCursor(CreateGroupCursorRequest.builder().streamId(stream)
                    .createGroupCursorDetails(CreateGroupCursorDetails.builder().groupName(group)
                            .instanceName(instance).type(CreateGroupCursorDetails.Type.TrimHorizon)
                            .commitOnGet(false).build()).build()).getCursor().getValue();
            prefetched = get();
            for (PartitionReservation r : client.getGroup(GetGroupRequest.builder().streamId(stream)
                    .groupName(group).build()).getGroup().getReservations()) {
                if (instance.equals(r.getReservedInstance())) {
                    tipCursors.put(r.getPartition(), latest(r.getPartition()));
                }
            }
            for (com.oracle.bmc.streaming.model.Message m : prefetched) {
                // a page read before the tips were known: its partitions are this instance's too
                tipCursors.computeIfAbsent(m.getPartition(), this::latest);
            }
        }

        @Override
        public boolean holdsPartitions() {
            return !tipCursors.isEmpty();
        }

        @Override
        public Set<String> partitions() {
            return Set.copyOf(tipCursors.keySet());
        }

        @Override
        public List<RedriveSource.Message> next() {
            if (done) {
                return List.of();
            }
            try {
                List<com.oracle.bmc.streaming.model.Message> page = prefetched;
                prefetched = null;
                if (page == null) {
                    // what the last page's settling appended is past the tip: known now, it bounds the next read
                    long left = leftBeforeTip();
                    if (left == 0) {
                        done = true;
                        reachedTip = true;
                        return List.of();
                    }
                    limit = (int) Math.min(limit, left);
                    page = get();
                }
                if (page.isEmpty()) {
                    done = true;
                    reachedTip = true;
                    return List.of();
                }
                boolean anyBeforeTip = false;
                List<RedriveSource.Message> out = new ArrayList<>(page.size());
                for (com.oracle.bmc.streaming.model.Message m : page) {
                    Long tip = tip(m.getPartition());
                    anyBeforeTip |= tip == null || m.getOffset() < tip;
                    position.merge(m.getPartition(), m.getOffset() + 1, Math::max);
                    largest = Math.max(largest, (m.getValue() == null ? 0 : m.getValue().length)
                            + (m.getKey() == null ? 0 : m.getKey().length));
                    out.add(new RedriveSource.Message(m.getPartition(), m.getOffset(), m.getKey(),
                            m.getValue() == null ? new byte[0] : m.getValue()));
                }
                if (!anyBeforeTip) {
                    // everything from here on was appended since the pass began
                    done = true;
                    reachedTip = true;
                }
                limit = PartitionReader.nextLimit(largest);
                return out;
            } catch (BmcException e) {
                throw unavailable(e);
            }
        }

        @Override
        public boolean reachedTip() {
            return reachedTip;
        }

        @Override
        public void commit() {
            if (committable == null) {
                return;
            }
            try {
                client.consumerCommit(ConsumerCommitRequest.builder().streamId(stream).cursor(committable).build());
            } catch (BmcException e) {
                throw unavailable(e);
            }
        }

        @Override
        public void close() {
            // nothing held: cursors expire on their own, the group's reservation times out
        }

        /** One GetMessages through the group cursor; the cursor after it is what a commit commits. */
        private List<com.oracle.bmc.streaming.model.Message> get() {
            GetMessagesResponse r = client.getMessages(GetMessagesRequest.builder().streamId(stream).cursor(cursor)
                    .limit(limit).build());
            if (r.getOpcNextCursor() != null) {
                cursor = r.getOpcNextCursor();
                committable = cursor;
            }
            return r.getItems() == null ? List.of() : r.getItems();
        }

        private String latest(String partition) {
            return client.createCursor(CreateCursorRequest.builder().streamId(stream)
                    .createCursorDetails(CreateCursorDetails.builder().partition(partition)
                            .type(CreateCursorDetails.Type.Latest).build()).build()).getCursor().getValue();
        }

        /** The first offset of {@code partition} appended after the pass began; null while none is known. */
        private Long tip(String partition) {
            Long known = firstAfterStart.get(partition);
            String tipCursor = tipCursors.get(partition);
            if (known != null || tipCursor == null) {
                return known;
            }
            List<com.oracle.bmc.streaming.model.Message> probe = client.getMessages(GetMessagesRequest.builder()
                    .streamId(stream).cursor(tipCursor).limit(1).build()).getItems();
            if (probe != null && !probe.isEmpty()) {
                firstAfterStart.put(partition, probe.get(0).getOffset());
                return probe.get(0).getOffset();
            }
            return null;
        }

        /**
         * At most how many messages remain before the tip in the reserved partitions (offsets may leave gaps, so
         * fewer may): 0 once each is read up to where the pass began; {@link Long#MAX_VALUE} while that is not known
         * for every partition.
         */
        private long leftBeforeTip() {
            long left = 0;
            for (String p : tipCursors.keySet()) {
                Long at = position.get(p);
                Long tip = at == null ? null : tip(p);
                if (tip == null) {
                    return Long.MAX_VALUE;
                }
                left += Math.max(0, tip - at);
            }
            return left;
        }
    }
}
