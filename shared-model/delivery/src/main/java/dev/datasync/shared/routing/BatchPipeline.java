package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.FailureKind;
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
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The one path every read message takes, for ReadDataStream, Retry and the redrive alike: decode and validate →
 * deliver (batch engine) → route every failure to its error stream as a {@link RoutedEnvelope}, stamped with the
 * redrive's fields ({@link FailureStamp}) → return the report only when all failures are placed (else
 * {@link RoutingFailedException}).
 * <p>
 * Messages read back from an error stream (Retry, the redrive) are checked first ({@link ErrorStreamEnvelope}): a
 * corrupt one is not delivered but dead-lettered ({@link DeadLetterReason#CORRUPT}) and has no ordering key, so
 * it never holds back a later message of its key.
 */
public final class BatchPipeline {

    private final BatchDelivery delivery;
    private final ErrorStreamRouter router;
    private final boolean allowHttp;
    private final FailureStamp routedStamp;
    private final String deadLetterStream;
    private final JsonLog log;

    /** A pipeline without redrive: failures get no redrive fields, corrupt error-stream messages are invalid. */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, JsonLog log) {
        this(delivery, router, allowHttp, FailureStamp.NONE, null, log);
    }

    /**
     * @param routedStamp      what every routed failure gets (the redrive's schedule when its stream is redriven)
     * @param deadLetterStream where corrupt error-stream messages go; null: they are routed as invalid
     */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, FailureStamp routedStamp,
                         String deadLetterStream, JsonLog log) {
        this.delivery = delivery;
        this.router = router;
        this.allowHttp = allowHttp;
        this.routedStamp = routedStamp;
        this.deadLetterStream = deadLetterStream;
        this.log = log;
    }

    /**
     * @param routes      where each failure goes
     * @param leaveInPlace a stream (OCID) whose failures are not appended again, because the messages were read
     *                     from it and are still there (Retry); null for none
     */
    public BatchReport process(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                               String leaveInPlace) {
        return process(messages, deadline, routes, leaveInPlace, false, routedStamp, false);
    }

    /**
     * For a reader that can resume (Retry): like {@link #process}, but settles only the messages before the first
     * one the deadline left untried ({@link DeliveryOutcome#notStarted}). That one and every later one are neither routed
     * nor counted — they are still at their offsets and the caller's next call starts at the first of them
     * ({@link BatchReport#settled()}). Later messages another worker did deliver meanwhile are delivered again then,
     * under the same Idempotency-Key. The messages come from an error stream: corrupt ones are dead-lettered.
     */
    public BatchReport processUntilTimeRunsOut(List<InboundMessage> messages, Deadline deadline,
                                               RouteSelector routes, String leaveInPlace) {
        return process(messages, deadline, routes, leaveInPlace, true, routedStamp, true);
    }

    /**
     * For the redrive: messages read from an error stream, every one settled (a message the deadline left untried
     * is routed like the others; {@code stamp} decides what that means for its schedule); corrupt ones are
     * dead-lettered.
     */
    public BatchReport processRedriven(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                                       FailureStamp stamp) {
        return process(messages, deadline, routes, null, false, stamp, true);
    }

    private BatchReport process(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                                String leaveInPlace, boolean stopAtNotStarted, FailureStamp stamp,
                                boolean fromErrorStream) {
        JsonNode[] decoded = new JsonNode[messages.size()];
        DeliveryJob[] jobs = new DeliveryJob[messages.size()];
        ErrorStreamEnvelope[] read = fromErrorStream && deadLetterStream != null
                ? readAll(messages) : new ErrorStreamEnvelope[messages.size()];
        List<String> orderingKeys = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            orderingKeys.add(read[i] != null && read[i].corrupt() ? null : messages.get(i).key());
        }
        // each message is decoded and validated by the worker that delivers it, so the first calls go out at once
        // instead of after the whole batch is prepared; deliverAll returns after every worker has written its slots
        List<DeliveryOutcome> outcomes = delivery.deliverAll(orderingKeys, i -> {
            DecodedJob p = read[i] == null ? prepare(messages.get(i), null)
                    : read[i].corrupt() ? corrupt(messages.get(i), read[i]) : prepare(messages.get(i), read[i].node());
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
        List<String> appendedTo = new ArrayList<>(Collections.nCopies(messages.size(), (String) null));
        int delivered = 0;
        int leftInPlace = 0;
        for (int i = 0; i < settled; i++) {
            DeliveryOutcome o = outcomes.get(i);
            if (o.delivered()) {
                delivered++;
                continue;
            }
            InboundMessage m = messages.get(i);
            boolean corrupt = read[i] != null && read[i].corrupt();
            String route = corrupt ? deadLetterStream
                    : Objects.requireNonNull(routes.streamFor(o.routeBy()), "no route for a failure");
            DeliveryJob job = jobs[i];
            if (route.equals(leaveInPlace)) {
                leftInPlace++;
                Source.describe(log.info("message.left_in_place").syncId(job.syncId())
                        .sourceId(sourceIdOf(decoded[i])), m.source()).write();
                continue;
            }
            String undecodable = decoded[i] != null ? null
                    : m.value() != null ? Base64.getEncoder().encodeToString(m.value()) : m.rawValue();
            ObjectNode whole = RoutedEnvelope.build(decoded[i], undecodable, o, m.source());
            String stream = finish(whole, route, o, corrupt, stamp);
            byte[] envelope = Json.toBytes(whole);
            if (!RoutedEnvelope.fits(m.key(), envelope)) {
                // a poison value (e.g. ~1 MB of non-JSON, base64-encoded) whose envelope OCI would refuse: keep a
                // prefix and its hash instead, so the batch can be settled rather than redelivered forever
                ObjectNode capped = RoutedEnvelope.capped(decoded[i], m.value(), m.rawValue(), o, m.source());
                finish(capped, route, o, corrupt, stamp);
                envelope = Json.toBytes(capped);
                Source.describe(log.warn("message.value_truncated").syncId(job.syncId())
                        .sourceId(sourceIdOf(decoded[i])), m.source())
                        .count("valueBytes", m.value() != null ? m.value().length
                                : m.rawValue() == null ? 0 : m.rawValue().length()).write();
            }
            routed.add(new RoutedMessage(stream, m.key(), envelope, job.syncId(), m.source()));
            appendedTo.set(i, stream);
            JsonLog.Entry line = log.info("message.routed").syncId(job.syncId()).sourceId(sourceIdOf(decoded[i]));
            if (corrupt) {
                line.code(DeadLetterReason.CORRUPT.value()).reason(read[i].problem());
            }
            Source.describe(line, m.source()).outcome("routed").errorStreamId(stream).write();
        }
        router.place(routed);
        return new BatchReport(outcomes, delivered, routed.size(), leftInPlace, settled, appendedTo);
    }

    /** Dead-letters a corrupt message, or stamps a failure's envelope; returns the stream it goes to. */
    private static String finish(ObjectNode envelope, String route, DeliveryOutcome o, boolean corrupt,
                                 FailureStamp stamp) {
        if (corrupt) {
            DeadLetterReason.CORRUPT.mark(envelope, o.at());
            return route;
        }
        return stamp.stamp(envelope, route, o);
    }

    private static ErrorStreamEnvelope[] readAll(List<InboundMessage> messages) {
        ErrorStreamEnvelope[] out = new ErrorStreamEnvelope[messages.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ErrorStreamEnvelope.read(messages.get(i));
        }
        return out;
    }

    /** A corrupt message is not delivered: it fails as invalid (with its problem), with no ordering key. */
    private static DecodedJob corrupt(InboundMessage m, ErrorStreamEnvelope e) {
        JsonNode id = e.node() == null ? null : e.node().get(StreamMessage.SYNC_ID);
        return new DecodedJob(e.node(), DeliveryJob.invalid(null, m.source(), id != null && id.isTextual()
                ? id.asText() : null, Failure.of(FailureKind.INVALID, e.problem())));
    }

    private record DecodedJob(JsonNode node, DeliveryJob job) {
    }

    /** The sourceId a decoded message names, for its log lines (null when it names none). */
    private static String sourceIdOf(JsonNode decoded) {
        JsonNode id = decoded == null ? null : decoded.get(StreamMessage.SOURCE_ID);
        return id != null && id.isTextual() ? id.asText() : null;
    }

    /** @param parsed the message value already parsed (an error-stream envelope), or null to parse it here */
    private DecodedJob prepare(InboundMessage m, JsonNode parsed) {
        if (m.value() == null) {
            return new DecodedJob(null, DeliveryJob.invalid(m.key(), m.source(), null,
                    Failure.of(FailureKind.INVALID, m.problem())));
        }
        JsonNode node = parsed;
        if (node == null) {
            try {
                node = Json.parse(m.value());
            } catch (IOException e) {
                // not JSON: keep the bytes (base64) so the envelope loses nothing
                return new DecodedJob(null, DeliveryJob.invalid(m.key(), m.source(), null,
                        Failure.of(FailureKind.INVALID, "message value is not JSON")));
            }
        }
        if (node == null || !node.isObject()) {
            return new DecodedJob(node, DeliveryJob.invalid(m.key(), m.source(), null,
                    Failure.of(FailureKind.INVALID, "message value is not a JSON object")));
        }
        ObjectNode obj = (ObjectNode) node;
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
