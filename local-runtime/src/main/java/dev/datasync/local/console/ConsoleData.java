package dev.datasync.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.identity.SourceRecord;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.config.MetricsSettings;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.replay.PartitionMarks;
import dev.datasync.shared.replay.ReplayMarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console's pages show, read the way an operator's tools would read it on OCI: the charts from Monitoring
 * (SummarizeMetricsData, namespace {@code datasync}), the streams and their messages through the Streaming API, what
 * a replay or the redrive settled from the replay marks in the state bucket, the sources from the local identity
 * provider. Nothing here writes. Message views carry ids, hosts and errors, never payloads, headers or tokens.
 */
public final class ConsoleData {

    /** The longest range a chart may ask for (SummarizeMetricsData keeps 7 days at 1-minute resolution). */
    static final Duration MAX_RANGE = Duration.ofDays(1);
    /** Messages of a stream the browser lists, newest first. */
    static final int MESSAGES_SHOWN = 100;
    private static final int READ_LIMIT = 100_000;

    private final LocalOciClients clients;
    private final Map<String, String> streams;
    private final Optional<String> compartmentId;
    private final ReplayMarks marks;
    private final LocalIdentityProvider identity;

    /**
     * @param streams       stream name → OCID, as local-oci declared them
     * @param compartmentId where the functions post their metrics ({@code metrics_compartment_ocid}); empty: they
     *                      post none, and every chart is empty
     */
    public ConsoleData(LocalOciClients clients, Map<String, String> streams, Optional<String> compartmentId,
                       ReplayMarks marks, LocalIdentityProvider identity) {
        this.clients = clients;
        this.streams = Map.copyOf(streams);
        this.compartmentId = compartmentId;
        this.marks = marks;
        this.identity = identity;
    }

    /**
     * One MQL query over the last {@code range}: {@code [{"dimensions":{..},"points":[[epochSeconds, value], ..]}]}.
     *
     * @throws com.oracle.bmc.model.BmcException Monitoring's refusal (a query it does not answer)
     */
    public ArrayNode metrics(String query, Duration range, String resolution) {
        ArrayNode out = Json.mapper().createArrayNode();
        if (compartmentId.isEmpty()) {
            return out;
        }
        Instant end = Instant.now();
        List<MetricData> data = clients.monitoring().summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                .compartmentId(compartmentId.get())
                .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder()
                        .namespace(MetricsSettings.NAMESPACE).query(query).resolution(resolution)
                        .startTime(Date.from(end.minus(range))).endTime(Date.from(end)).build())
                .build()).getItems();
        for (MetricData d : data) {
            ObjectNode series = out.addObject();
            series.set("dimensions", Json.mapper().valueToTree(d.getDimensions()));
            ArrayNode points = series.putArray("points");
            d.getAggregatedDatapoints().forEach(p -> points.addArray()
                    .add(p.getTimestamp().toInstant().getEpochSecond()).add(p.getValue()));
        }
        return out;
    }

    /** Every stream of the topology: per partition, messages retained and — in an error stream — still waiting. */
    public ArrayNode streams() {
        ArrayNode out = Json.mapper().createArrayNode();
        for (String name : names()) {
            out.add(stream(name, false));
        }
        return out;
    }

    /** One stream's counts and its newest {@value #MESSAGES_SHOWN} messages (newest first); empty when unknown. */
    public Optional<ObjectNode> stream(String name) {
        return streams.containsKey(name) ? Optional.of(stream(name, true)) : Optional.empty();
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(Topology.DATA_STREAM);
        names.addAll(Topology.ERROR_STREAMS);
        names.add(Topology.DEAD_LETTER_STREAM);
        names.removeIf(n -> !streams.containsKey(n));
        return names;
    }

    private ObjectNode stream(String name, boolean withMessages) {
        String id = streams.get(name);
        boolean settles = !name.equals(Topology.DATA_STREAM);
        StreamInspector inspector = new StreamInspector(clients.streamAdmin(), clients.stream());
        int partitions = inspector.get(id).getPartitions();
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("name", name);
        o.put("id", id);
        o.put("errorStream", Topology.ERROR_STREAMS.contains(name));
        ArrayNode parts = o.putArray("partitions");
        long retained = 0;
        long waiting = 0;
        List<ObjectNode> shown = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            String partition = Integer.toString(p);
            List<Message> messages = inspector.read(id, partition, null, READ_LIMIT);
            PartitionMarks settled = settles ? marks.read(id, partition) : PartitionMarks.NONE;
            long waitingHere = 0;
            for (Message m : messages) {
                String state = settled.delivered().contains(m.getOffset()) ? "delivered"
                        : settled.moved().contains(m.getOffset()) ? "moved" : "waiting";
                waitingHere += state.equals("waiting") ? 1 : 0;
                if (withMessages) {
                    shown.add(view(m, settles ? state : null));
                }
            }
            ObjectNode part = parts.addObject();
            part.put("partition", partition);
            part.put("retained", messages.size());
            retained += messages.size();
            if (settles) {
                part.put("waiting", waitingHere);
                waiting += waitingHere;
            }
        }
        o.put("retained", retained);
        if (settles) {
            o.put("waiting", waiting);
        }
        if (withMessages) {
            shown.sort((a, b) -> Long.compare(b.path("at").asLong(), a.path("at").asLong()));
            ArrayNode list = o.putArray("messages");
            shown.stream().limit(MESSAGES_SHOWN).forEach(m -> {
                m.remove("at");
                list.add(m);
            });
        }
        return o;
    }

    /** A message as the browser lists it: where it is, whose it is, what went wrong — no payload or header. */
    private static ObjectNode view(Message m, String state) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("partition", m.getPartition());
        o.put("offset", m.getOffset());
        o.put("at", m.getTimestamp() == null ? 0 : m.getTimestamp().getTime());
        o.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toInstant().toString());
        if (state != null) {
            o.put("state", state);
        }
        JsonNode v;
        try {
            v = Json.parse(m.getValue());
        } catch (IOException | RuntimeException e) {
            o.put("undecodable", true);
            return o;
        }
        copyText(v, StreamMessage.SYNC_ID, o);
        copyText(v, StreamMessage.SOURCE_ID, o);
        String target = v.path(StreamMessage.TARGET_REST_API).asText(null);
        if (target != null) {
            try {
                o.put("targetHost", URI.create(target).getHost());
            } catch (IllegalArgumentException e) {
                o.put("targetHost", (String) null);
            }
        }
        JsonNode error = v.get(PipelineFields.LAST_ERROR);
        if (error != null && error.isObject()) {
            ObjectNode e = o.putObject(PipelineFields.LAST_ERROR);
            for (String f : List.of("status", "kind", "reason", "at")) {
                if (error.has(f)) {
                    e.set(f, error.get(f));
                }
            }
        }
        if (v.path(PipelineFields.DELIVERY_ATTEMPTS).isNumber()) {
            o.put(PipelineFields.DELIVERY_ATTEMPTS, v.get(PipelineFields.DELIVERY_ATTEMPTS).asLong());
        }
        for (String f : List.of(PipelineFields.FIRST_FAILED_AT, PipelineFields.NEXT_ATTEMPT_AT,
                PipelineFields.DEAD_LETTER_REASON, PipelineFields.DEAD_LETTERED_AT, PipelineFields.HELD_BEHIND)) {
            copyText(v, f, o);
        }
        return o;
    }

    private static void copyText(JsonNode from, String field, ObjectNode to) {
        JsonNode n = from.get(field);
        if (n != null && n.isTextual()) {
            to.put(field, n.asText());
        }
    }

    /** The sources of the local identity provider: policy and status, never a credential. */
    public ArrayNode sources() throws IOException {
        ArrayNode out = Json.mapper().createArrayNode();
        for (SourceRecord s : identity.list()) {
            ObjectNode o = out.addObject();
            o.put("id", s.id());
            o.set("allowlist", Json.mapper().valueToTree(s.allowlist()));
            o.put("ratePerSecond", s.ratePerSecond());
            o.put("maxSecrets", s.maxSecrets());
            o.put("createdAt", s.createdAt().toString());
            o.put("revoked", s.revoked());
        }
        return out;
    }
}
