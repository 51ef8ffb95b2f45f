package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.StreamMessageValidator;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.json.ExactJson;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The one path every read message takes, for ReadDataStream and Retry alike: decode and validate → deliver (batch
 * engine) → route every failure to its error stream as a {@link RoutedEnvelope} → return the report only when all
 * failures are placed (else {@link RoutingFailedException}).
 */
public final class BatchPipeline {

    private final BatchDelivery delivery;
    private final ErrorStreamRouter router;
    private final boolean allowHttp;
    private final JsonLog log;

    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, JsonLog log) {
        this.delivery = delivery;
        this.router = router;
        this.allowHttp = allowHttp;
        this.log = log;
    }

    /**
     * @param routes      where each failure goes
     * @param leaveInPlace a stream (OCID) whose failures are not appended again, because the messages were read
     *                     from it and are still there (Retry); null for none
     */
    public BatchReport process(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                               String leaveInPlace) {
        return process(messages, deadline, routes, leaveInPlace, false);
    }

    /**
     * For a reader that can resume (Retry): like {@link #process}, but settles only the messages before the first
     * one the deadline left untried ({@link DeliveryOutcome#notStarted}). That one and every later one are neither routed
     * nor counted — they are still at their offsets and the caller's next call starts at the first of them
     * ({@link BatchReport#settled()}). Later messages another worker did deliver meanwhile are delivered again then,
     * under the same Idempotency-Key.
     */
    public BatchReport processUntilTimeRunsOut(List<InboundMessage> messages, Deadline deadline,
                                               RouteSelector routes, String leaveInPlace) {
        return process(messages, deadline, routes, leaveInPlace, true);
    }

    private BatchReport process(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                                String leaveInPlace, boolean stopAtNotStarted) {
        JsonNode[] decoded = new JsonNode[messages.size()];
        DeliveryJob[] jobs = new DeliveryJob[messages.size()];
        // each message is decoded and validated by the worker that delivers it, so the first calls go out at once
        // instead of after the whole batch is prepared; deliverAll returns after every worker has written its slots
        List<DeliveryOutcome> outcomes = delivery.deliverAll(messages.stream().map(InboundMessage::key).toList(), i -> {
            DecodedJob p = prepare(messages.get(i));
            decoded[i] = p.node;
            jobs[i] = p.job;
            return p.job;
        }, deadline);

        int settled = messages.size();
        if (stopAtNotStarted) {
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).notStarted()) {
                    settled = i;
                    break;
                }
            }
        }
        List<RoutedMessage> routed = new ArrayList<>();
        int delivered = 0;
        Set<Integer> leftInPlace = new HashSet<>();
        for (int i = 0; i < settled; i++) {
            DeliveryOutcome o = outcomes.get(i);
            if (o.delivered()) {
                delivered++;
                continue;
            }
            InboundMessage m = messages.get(i);
            String stream = Objects.requireNonNull(routes.streamFor(o.routeBy()), "no route for a failure");
            DeliveryJob job = jobs[i];
            if (stream.equals(leaveInPlace)) {
                leftInPlace.add(i);
                Source.describe(log.info("message.left_in_place").syncId(job.syncId())
                        .sourceId(sourceIdOf(decoded[i])), m.source()).write();
                continue;
            }
            String undecodable = decoded[i] != null ? null
                    : m.value() != null ? Base64.getEncoder().encodeToString(m.value()) : m.rawValue();
            byte[] envelope = Json.toBytes(RoutedEnvelope.build(decoded[i], undecodable, o, m.source()));
            if (!RoutedEnvelope.fits(m.key(), envelope)) {
                // a poison value (e.g. ~1 MB of non-JSON, base64-encoded) whose envelope OCI would refuse: keep a
                // prefix and its hash instead, so the batch can be settled rather than redelivered forever
                envelope = Json.toBytes(RoutedEnvelope.capped(decoded[i], m.value(), m.rawValue(), o, m.source()));
                Source.describe(log.warn("message.value_truncated").syncId(job.syncId())
                        .sourceId(sourceIdOf(decoded[i])), m.source())
                        .count("valueBytes", m.value() != null ? m.value().length
                                : m.rawValue() == null ? 0 : m.rawValue().length()).write();
            }
            routed.add(new RoutedMessage(stream, m.key(), envelope, job.syncId(), m.source()));
            Source.describe(log.info("message.routed").syncId(job.syncId()).sourceId(sourceIdOf(decoded[i])),
                    m.source())
                    .outcome("routed").errorStreamId(stream).write();
        }
        router.place(routed);
        return new BatchReport(outcomes, delivered, routed.size(), leftInPlace, settled);
    }

    private record DecodedJob(JsonNode node, DeliveryJob job) {
    }

    /** The sourceId a decoded message names, for its log lines (null when it names none). */
    private static String sourceIdOf(JsonNode decoded) {
        JsonNode id = decoded == null ? null : decoded.get(StreamMessage.SOURCE_ID);
        return id != null && id.isTextual() ? id.asText() : null;
    }

    private DecodedJob prepare(InboundMessage m) {
        if (m.value() == null) {
            return new DecodedJob(null, DeliveryJob.invalid(m.key(), m.source(), null,
                    Failure.of(FailureKind.INVALID, m.problem())));
        }
        JsonNode node;
        try {
            // the payload is kept as the exact text the caller sent, through delivery and any envelope
            node = ExactJson.parse(m.value(), StreamMessage.TARGET_REST_API_PAYLOAD);
        } catch (IOException e) {
            // not JSON: keep the bytes (base64) so the envelope loses nothing
            return new DecodedJob(null, DeliveryJob.invalid(m.key(), m.source(), null,
                    Failure.of(FailureKind.INVALID, "message value is not JSON")));
        }
        if (node == null || !node.isObject()) {
            return new DecodedJob(node, DeliveryJob.invalid(m.key(), m.source(), null,
                    Failure.of(FailureKind.INVALID, "message value is not a JSON object")));
        }
        ObjectNode obj = (ObjectNode) node;
        if (m.firstDelivery()) {
            // nothing has delivered it yet: an envelope field in it was not written by the pipeline
            PipelineFields.removeEnvelope(obj);
        }
        if (!obj.path(StreamMessage.SYNC_ID).isTextual() || obj.get(StreamMessage.SYNC_ID).asText().isEmpty()) {
            // written by hand or by an old producer: derive a key that is the same on every replay of these bytes
            obj.put(StreamMessage.SYNC_ID, UUID.nameUUIDFromBytes(m.value()).toString());
        }
        String syncId = obj.get(StreamMessage.SYNC_ID).asText();
        Validated<StreamMessage> v = StreamMessageValidator.validate(obj, allowHttp, null);
        if (!v.isOk()) {
            String field = v.error().field();
            return new DecodedJob(obj, DeliveryJob.invalid(m.key(), m.source(), syncId, Failure.of(FailureKind.INVALID,
                    v.error().message() + (field == null ? "" : " (" + field + ")"))));
        }
        return new DecodedJob(obj, DeliveryJob.deliver(m.key(), m.source(), DeliveryRequest.of(v.value())));
    }
}
