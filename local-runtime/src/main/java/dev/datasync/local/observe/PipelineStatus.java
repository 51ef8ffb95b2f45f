package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PartitionReservation;
import com.oracle.bmc.streaming.requests.GetGroupRequest;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.connector.PositionStore;
import dev.datasync.local.stack.ConnectorNames;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.log.LogFields;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.ordering.KeyOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The pipeline at a glance, as {@code ./datasync status --json} and {@code GET /admin/status} give it:
 * <ul>
 * <li>every stream: per partition the retained messages and the lag of each consumer of it — the local connectors
 * ({@link ConnectorNames}; their committed positions, {@code <data dir>/connectors/<connector>.json}, what Service
 * Connector Hub keeps on OCI) and, on a redriven stream, the redrive's consumer group ({@code redrive_group}, GetGroup);</li>
 * <li>held keys (the state bucket's {@code held/keys.json}, read through shared-model's {@link KeyOrder}); dead
 * letters (messages retained in DeadLetterStream);</li>
 * <li>the last hour's counts from the log files: accepted, delivered, failed attempts, routed, dead-lettered.</li>
 * </ul>
 * Lag is the number of retained messages after the consumer's committed offset (all of them for a consumer that has
 * committed nothing yet).
 */
public final class PipelineStatus {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final StackView stack;
    private final Clock clock;

    public PipelineStatus(StackView stack, Clock clock) {
        this.stack = stack;
        this.clock = clock;
    }

    public ObjectNode now() {
        Instant at = clock.instant();
        ObjectNode out = F.objectNode();
        out.put("at", at.toString());
        ArrayNode streams = out.putArray("streams");
        StreamInspector inspector = stack.streams();
        Map<String, Map<String, Long>> connectors = connectorPositions();
        long deadLetters = 0;
        List<String> failureStreams = stack.failureStreams();
        for (Map.Entry<String, String> s : new TreeMap<>(stack.resources().streams()).entrySet()) {
            String name = s.getKey();
            String id = s.getValue();
            ObjectNode so = streams.addObject();
            so.put("name", name);
            so.put("ocid", id);
            ArrayNode partitions = so.putArray("partitions");
            Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
            if (id.equals(stack.config().streams().dataStream()) || failureStreams.contains(id)) {
                for (String connector : ConnectorNames.readersOf(name, id.equals(stack.config().streams()
                        .dataStream()))) {
                    groups.put(connector, connectors.getOrDefault(connector, Map.of()));
                }
            }
            if (stack.config().redrive().redriven(id)) {
                groups.put(stack.config().redrive().group(), redriveGroup(id));
            }
            int count = inspector.get(id).getPartitions();
            for (int p = 0; p < count; p++) {
                String partition = Integer.toString(p);
                List<Long> offsets = new ArrayList<>();
                for (Message m : inspector.read(id, partition, null, Integer.MAX_VALUE)) {
                    offsets.add(m.getOffset());
                }
                ObjectNode po = partitions.addObject();
                po.put("partition", partition);
                po.put("retained", offsets.size());
                ObjectNode lag = po.putObject("lag");
                groups.forEach((group, committed) -> {
                    Long c = committed.get(partition);
                    lag.put(group, c == null ? offsets.size() : offsets.stream().filter(o -> o > c).count());
                });
                if (id.equals(stack.deadLetterStream())) {
                    deadLetters += offsets.size();
                }
            }
        }
        out.put("heldKeys", heldKeys());
        out.put("deadLetters", deadLetters);
        out.set("lastHour", lastHour(at.minus(Duration.ofHours(1))));
        return out;
    }

    /** Each connector's committed positions (partition → last offset handed over), by connector name. */
    private Map<String, Map<String, Long>> connectorPositions() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        Path dir = stack.dataDir().resolve(PositionStore.DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - ".json".length()), new PositionStore(f).snapshot());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the connector positions in " + dir, e);
        }
        return out;
    }

    /** The redrive group's committed offsets on one stream; none while the group does not exist yet. */
    private Map<String, Long> redriveGroup(String streamId) {
        Map<String, Long> out = new HashMap<>();
        try {
            var group = stack.clients().stream().getGroup(GetGroupRequest.builder().streamId(streamId)
                    .groupName(stack.config().redrive().group()).build()).getGroup();
            if (group.getReservations() != null) {
                for (PartitionReservation r : group.getReservations()) {
                    if (r.getCommittedOffset() != null) {
                        out.put(r.getPartition(), r.getCommittedOffset());
                    }
                }
            }
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
        }
        return out;
    }

    private long heldKeys() {
        StateBucket bucket = new StateBucket(stack.clients()::objectStorage, stack.config().state());
        return KeyOrder.of(stack.config(), new ObjectStorageStateObjects(bucket), JsonLog.to(line -> {
        }, clock)).heldKeys();
    }

    /** Counts of the message-life lines written since {@code since}. */
    private ObjectNode lastHour(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String k : List.of("accepted", "delivered", "failed", "routed", "deadLettered")) {
            counts.put(k, 0L);
        }
        String dlq = stack.deadLetterStream();
        stack.logs().forEach(raw -> raw.contains("\"" + LogFields.EVENT + "\":\"")
                && (raw.contains(LogEvents.ACCEPTED) || raw.contains(LogEvents.DELIVERED)
                || raw.contains(LogEvents.ATTEMPT) || raw.contains(LogEvents.ROUTED)
                || raw.contains(LogEvents.DEAD_LETTERED)), l -> {
            Instant ts;
            try {
                ts = Instant.parse(l.path(LogFields.TS).asText());
            } catch (RuntimeException e) {
                return;
            }
            if (ts.isBefore(since)) {
                return;
            }
            String what = switch (l.path(LogFields.EVENT).asText()) {
                case LogEvents.ACCEPTED -> "accepted";
                case LogEvents.DELIVERED -> "delivered";
                case LogEvents.ATTEMPT -> "failed";
                case LogEvents.ROUTED -> dlq.equals(text(l, LogFields.ERROR_STREAM_ID)) ? "deadLettered" : "routed";
                case LogEvents.DEAD_LETTERED -> "deadLettered";
                default -> null;
            };
            if (what != null) {
                counts.merge(what, 1L, Long::sum);
            }
        });
        ObjectNode o = F.objectNode();
        counts.forEach(o::put);
        return o;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
