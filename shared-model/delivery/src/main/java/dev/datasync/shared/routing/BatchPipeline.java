package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.KeyOrdering;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.datasync.shared.contract.CallbackUrl;
import dev.datasync.shared.contract.DeliverAfter;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.delivery.Callback;
import dev.datasync.shared.delivery.CallbackSender;
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
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.ordering.KeyRef;
import dev.datasync.shared.routing.internal.SourceIdPeek;
import dev.datasync.shared.ordering.OrderingPass;
import dev.datasync.shared.ordering.Settlement;
import dev.datasync.shared.ordering.Verdict;
import dev.datasync.shared.routing.internal.RoutedEnvelope;
import dev.datasync.shared.rules.CompiledRules;
import dev.datasync.shared.rules.RulesPass;
import dev.datasync.shared.rules.RulesVerdict;
import dev.datasync.shared.rules.SourceRules;
import dev.datasync.shared.state.StateUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one path every read message takes, for ReadDataStream, Retry and the redrive alike: read the held keys
 * ({@link KeyOrder}, one state read) → decode and validate → hold a keyed message whose key has an earlier
 * undelivered message, else deliver (batch engine) → route every failure to its error stream as a
 * {@link RoutedEnvelope}, a held one to its blocker's stream with {@code heldBehind}, stamped with the redrive's
 * fields ({@link FailureStamp}: its next slot, or the DeadLetterStream when the redrive gives up) → record what
 * became of the keyed messages (a conditional write, only when a held key changed) → return the report only when
 * all failures are placed (else {@link RoutingFailedException}).
 * <p>
 * A message about to be sent first meets its source's rules ({@link SourceRules}, read once per batch and source):
 * the filter may drop it (final state {@code filtered}: logged, in no error stream, its key not held), the transform
 * gives the body sent instead of the payload, and a rule that fails or runs over its budget routes it as
 * {@code transformFailed}. This is the one place rules apply, so ReadDataStream, a replay and the redrive all use the
 * rules in force when they send; a failed message's envelope records the version ({@code rulesVersion}) and keeps
 * the payload as received, so a later attempt is judged again by the rules of its time.
 * <p>
 * Messages read back from an error stream (Retry, the redrive) are checked first ({@link ErrorStreamEnvelope}): a
 * corrupt one is not delivered but dead-lettered ({@link DeadLetterReason#CORRUPT}) and has no ordering key, so
 * it never holds back a later message of its key.
 */
public final class BatchPipeline {

    private final BatchDelivery delivery;
    private final ErrorStreamRouter router;
    private final boolean allowHttp;
    private final KeyOrder ordering;
    private final FailureStamp routedStamp;
    private final String deadLetterStream;
    private final SourceRules rules;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final JsonLog log;
    private final CallbackSender callbacks;
    private final String unrecoverableStream;

    /**
     * Without ordering state (a key's order is kept inside each batch only) and without redrive (failures get no
     * redrive fields, corrupt error-stream messages are routed as invalid).
     */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, JsonLog log) {
        this(delivery, router, allowHttp, KeyOrder.off(), log);
    }

    /** Without redrive. */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         JsonLog log) {
        this(delivery, router, allowHttp, ordering, FailureStamp.NONE, null, log);
    }

    /**
     * @param routedStamp      what every routed failure gets (the redrive's schedule when its stream is redriven)
     * @param deadLetterStream where corrupt error-stream messages go; null: they are routed as invalid
     */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         FailureStamp routedStamp, String deadLetterStream, JsonLog log) {
        this(delivery, router, allowHttp, ordering, routedStamp, deadLetterStream, PipelineMetrics.OFF,
                SourceRules.NONE, log);
    }

    /**
     * @param metrics where what became of each message is counted (delivered, failed calls, routed, dead-lettered,
     *                filtered, held keys); the caller publishes it once per invocation
     */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         FailureStamp routedStamp, String deadLetterStream, PipelineMetrics metrics, JsonLog log) {
        this(delivery, router, allowHttp, ordering, routedStamp, deadLetterStream, metrics, SourceRules.NONE, log);
    }

    /** @param rules the sources' rules (filter, transform), applied to every message about to be sent */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         FailureStamp routedStamp, String deadLetterStream, PipelineMetrics metrics,
                         SourceRules rules, JsonLog log) {
        this(delivery, router, allowHttp, ordering, routedStamp, deadLetterStream, metrics, rules, Clock.systemUTC(),
                log);
    }

    /** @param clock what a message's {@code deliverAfter} is compared with: not due yet, it is delayed */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         FailureStamp routedStamp, String deadLetterStream, PipelineMetrics metrics,
                         SourceRules rules, Clock clock, JsonLog log) {
        this(delivery, router, allowHttp, ordering, routedStamp, deadLetterStream, metrics, rules, clock,
                CallbackSender.NONE, null, log);
    }

    /**
     * @param callbacks           sends the outcome callbacks ({@code callbackUrl}) of the messages that ended in a
     *                            batch — delivered, dead-lettered ({@code deadLetterStream}) or unrecoverable — once
     *                            the batch is placed
     * @param unrecoverableStream where a message ends as unrecoverable (null: no callback names that outcome)
     */
    public BatchPipeline(BatchDelivery delivery, ErrorStreamRouter router, boolean allowHttp, KeyOrder ordering,
                         FailureStamp routedStamp, String deadLetterStream, PipelineMetrics metrics,
                         SourceRules rules, Clock clock, CallbackSender callbacks, String unrecoverableStream,
                         JsonLog log) {
        this.callbacks = callbacks;
        this.unrecoverableStream = unrecoverableStream;
        this.clock = clock;
        this.metrics = metrics;
        this.rules = rules;
        this.delivery = delivery;
        this.router = router;
        this.allowHttp = allowHttp;
        this.ordering = ordering;
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
        return process(messages, deadline, routes, leaveInPlace, false, routedStamp, false, null);
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
        return process(messages, deadline, routes, leaveInPlace, true, routedStamp, true, LogEvents.REPLAYED);
    }

    /**
     * For the redrive: messages read from an error stream, every one settled (a message the deadline left untried
     * is routed like the others; {@code stamp} decides what that means for its schedule); corrupt ones are
     * dead-lettered.
     */
    public BatchReport processRedriven(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                                       FailureStamp stamp) {
        return process(messages, deadline, routes, null, false, stamp, true, LogEvents.REDRIVEN);
    }

    private BatchReport process(List<InboundMessage> messages, Deadline deadline, RouteSelector routes,
                                String leaveInPlace, boolean stopAtNotStarted, FailureStamp stamp,
                                boolean fromErrorStream, String readEvent) {
        // one state read per batch: which keys have an earlier message still undelivered in an error stream
        OrderingPass pass = ordering.begin();
        // the sources' rules: read once per batch and source, by the first worker that needs them
        RulesPass rulesPass = rules.begin();
        Batch b = new Batch(messages.size(), readEvent);
        String[] corrupt = fromErrorStream && deadLetterStream != null ? corruptions(messages)
                : new String[messages.size()];
        List<String> orderingKeys = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            // a lane per (sourceId, streamKey): with the streamKey alone, two sources sharing a key would hold each
            // other back, and a message held by one source's key could block the other's blocker in another
            // stream while that one blocks it back — neither would ever be tried again
            orderingKeys.add(corrupt[i] != null ? null
                    : KeyRef.lane(SourceIdPeek.of(messages.get(i).value()), messages.get(i).key()));
        }
        // each message is decoded and validated by the worker that delivers it, so the first calls go out at once
        // instead of after the whole batch is prepared; deliverAll returns after every worker has written its slots
        List<DeliveryOutcome> outcomes = delivery.deliverAll(orderingKeys,
                i -> corrupt[i] != null ? b.corrupt(i, messages.get(i), corrupt[i])
                        : b.prepare(i, messages.get(i), pass, rulesPass),
                (i, o) -> blocksKey(b.verdicts[i], o, routes), deadline);

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
        List<Settlement> settlements = new ArrayList<>();
        Map<String, Placement> laneBlockers = new HashMap<>();
        int delivered = 0;
        int filtered = 0;
        List<Callback> ended = new ArrayList<>();
        Set<Integer> leftInPlace = new HashSet<>();
        for (int i = 0; i < settled; i++) {
            DeliveryOutcome o = outcomes.get(i);
            InboundMessage m = messages.get(i);
            KeyRef key = b.keys[i];
            String sourceId = sourceIdOf(b.decoded[i]);
            if (o.filtered()) {
                // a final state like delivered: nothing of it waits anywhere, so it holds back nothing of its key
                filtered++;
                metrics.filtered(sourceId);
                if (key != null) {
                    settlements.add(Settlement.delivered(key, b.jobs[i].syncId()));
                }
                Source.describe(log.info(LogEvents.FILTERED).syncId(b.jobs[i].syncId()).sourceId(sourceId)
                        .rulesVersion(b.rulesVersions[i]).outcome("filtered"), m.source()).write();
                continue;
            }
            if (metrics.on()) {
                metrics.outcome(sourceId, b.jobs[i].request() == null ? null : b.jobs[i].request().target(), o);
            }
            if (o.delivered()) {
                delivered++;
                callbackFor(b.decoded[i], b.jobs[i].syncId(), Callback.DELIVERED,
                        RoutedEnvelope.attemptsAfter(b.decoded[i], o.calls()), null, o.at()).ifPresent(ended::add);
                if (key != null) {
                    settlements.add(Settlement.delivered(key, b.jobs[i].syncId()));
                }
                continue;
            }
            Placement p = corrupt[i] != null ? new Placement(deadLetterStream, null, false)
                    : placement(b, i, o, routes, laneBlockers.get(orderingKeys.get(i)));
            String lane = orderingKeys.get(i);
            if (lane != null && !laneBlockers.containsKey(lane) && blocksKey(b.verdicts[i], o, routes)) {
                // the rest of the key in this batch waits behind the earliest undelivered message: this one, or the
                // one it is held behind itself
                laneBlockers.put(lane, new Placement(p.stream(),
                        p.heldBehind() != null ? p.heldBehind() : b.jobs[i].syncId(), false));
            }
            DeliveryJob job = b.jobs[i];
            if (p.stream().equals(leaveInPlace)) {
                leftInPlace.add(i);
                if (key != null) {
                    settlements.add(Settlement.waiting(key, job.syncId(), p.stream()));
                }
                Source.describe(log.info(LogEvents.LEFT_IN_PLACE).syncId(job.syncId())
                        .traceId(StreamMessage.traceIdOf(b.decoded[i])).sourceId(sourceIdOf(b.decoded[i]))
                        .heldBehind(p.heldBehind()), m.source()).write();
                continue;
            }
            Finished f = envelope(m, b.decoded[i], o, p, job, corrupt[i], stamp, b.rulesVersions[i]);
            if (key != null) {
                settlements.add(ordering.ends(f.stream()) ? Settlement.ended(key, job.syncId())
                        : Settlement.waiting(key, job.syncId(), f.stream()));
            }
            routed.add(new RoutedMessage(f.stream(), m.key(), f.envelope(), job.syncId(), m.source()));
            appendedTo.set(i, f.stream());
            String end = f.deadLetterReason() != null || f.stream().equals(deadLetterStream) ? Callback.DEAD_LETTERED
                    : f.stream().equals(unrecoverableStream) ? Callback.UNRECOVERABLE : null;
            if (end != null) {
                callbackFor(b.decoded[i], job.syncId(), end,
                        f.node().get(PipelineFields.ATTEMPTS) instanceof ArrayNode a ? a : null,
                        f.node().get(PipelineFields.LAST_ERROR), o.at()).ifPresent(ended::add);
            }
            if (f.deadLetterReason() != null) {
                metrics.deadLettered(sourceId, f.deadLetterReason());
            } else {
                metrics.routed(sourceId, f.stream());
            }
            JsonLog.Entry line = log.info(LogEvents.ROUTED).syncId(job.syncId())
                    .traceId(StreamMessage.traceIdOf(b.decoded[i])).sourceId(sourceIdOf(b.decoded[i]))
                    .heldBehind(p.heldBehind());
            if (corrupt[i] != null) {
                line.code(DeadLetterReason.CORRUPT.value()).reason(corrupt[i]);
            }
            Source.describe(line, m.source()).outcome(p.heldBehind() != null ? "held"
                    : o.failure() != null && o.failure().kind() == FailureKind.DELAYED ? "delayed" : "routed")
                    .errorStreamId(f.stream()).write();
        }
        // the held keys are durable before any failure is placed: a crash in between leaves the state naming
        // messages that the redelivered batch places again, never messages in a stream the state does not know
        pass.settle(settlements);
        router.place(routed);
        if (metrics.on()) {
            pass.heldByStream().ifPresent(metrics::keysHeld);
        }
        // only now is every outcome durable: a crash before this line redelivers the batch, and the callbacks fire
        // again with the same webhook-id; a callback's own fate never reaches the report
        callbacks.send(ended, deadline);
        return new BatchReport(outcomes, delivered, routed.size(), leftInPlace, settled, appendedTo, filtered);
    }

    /**
     * Sends the outcome callbacks of messages dead-lettered outside a batch (the redrive's, past
     * {@code redrive_max_age}), once their envelopes are placed: each envelope's attempts and lastError.
     */
    public void callBackDeadLettered(List<JsonNode> envelopes, Instant at, Deadline deadline) {
        List<Callback> ended = new ArrayList<>();
        for (JsonNode env : envelopes) {
            JsonNode id = env.get(StreamMessage.SYNC_ID);
            callbackFor(env, id != null && id.isTextual() ? id.asText() : null, Callback.DEAD_LETTERED,
                    env.get(PipelineFields.ATTEMPTS) instanceof ArrayNode a ? a : null,
                    env.get(PipelineFields.LAST_ERROR), at).ifPresent(ended::add);
        }
        callbacks.send(ended, deadline);
    }

    /**
     * The outcome callback of a message that ended, when it names a {@code callbackUrl} (one whose form is no longer
     * acceptable is not called).
     */
    private Optional<Callback> callbackFor(JsonNode decoded, String syncId, String outcome, ArrayNode attempts,
                                           JsonNode lastError, Instant at) {
        URI url;
        try {
            url = CallbackUrl.of(decoded, allowHttp);
        } catch (IllegalArgumentException e) {
            log.warn(LogEvents.CALLBACK_FAILED).syncId(syncId).sourceId(sourceIdOf(decoded)).outcome(outcome)
                    .reason(e.getMessage()).write();
            return Optional.empty();
        }
        if (url == null || syncId == null) {
            return Optional.empty();
        }
        JsonNode tp = decoded.get(StreamMessage.TRACEPARENT);
        TraceParent trace = tp != null && tp.isTextual() ? TraceParent.parse(tp.asText()).orElse(null) : null;
        return Optional.of(new Callback(syncId, sourceIdOf(decoded), url, outcome, attempts, lastError, at, trace));
    }

    /** The corrupt error-stream messages of a batch: why, by batch index (null for the others). */
    private static String[] corruptions(List<InboundMessage> messages) {
        String[] out = new String[messages.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ErrorStreamEnvelope.read(messages.get(i)).problem();
        }
        return out;
    }

    /** Where a message that was not delivered goes, and whether it waits behind an earlier one of its key. */
    private record Placement(String stream, String heldBehind, boolean deadLetteredWithBlocker) {
    }

    private Placement placement(Batch b, int i, DeliveryOutcome o, RouteSelector routes, Placement laneBlocker) {
        Verdict v = b.verdicts[i];
        if (v instanceof Verdict.Hold h) {
            return new Placement(h.stream(), h.blocker(), false);
        }
        if (v instanceof Verdict.DeadLetter d) {
            return new Placement(ordering.deadLetterStream(), d.blocker(), true);
        }
        if (o.heldBack() && laneBlocker != null) {
            // behind an earlier message of this batch: in its stream, ending with it when it ended
            return new Placement(laneBlocker.stream(), laneBlocker.heldBehind(),
                    ordering.enabled() && ordering.ends(laneBlocker.stream()));
        }
        return new Placement(Objects.requireNonNull(routes.streamFor(o.routeBy()), "no route for a failure"), null,
                false);
    }

    /**
     * Whether a message that was not delivered holds back the rest of its key in this batch: always, except one
     * that ended for good (its route is where messages end) while {@code held_on_dead_letter} is {@code release},
     * and one the held keys told to wait. The held keys' own verdicts keep that one's followers waiting
     * ({@link dev.datasync.shared.ordering.OrderingPass#verdict}), while a message ahead of it in its key's queue
     * — its blocker, appended after it — still goes: were it held back too, the two would wait for each other
     * for ever.
     */
    private boolean blocksKey(Verdict v, DeliveryOutcome o, RouteSelector routes) {
        if (!ordering.enabled()) {
            return true;
        }
        if (v instanceof Verdict.Hold) {
            return false;
        }
        String stream = v instanceof Verdict.DeadLetter ? ordering.deadLetterStream() : routes.streamFor(o.routeBy());
        return !(ordering.ends(stream) && ordering.onDeadLetter() == KeyOrdering.HeldOnDeadLetter.RELEASE);
    }

    /** A failed message's envelope and the stream it goes to. */
    private record Finished(String stream, byte[] envelope, String deadLetterReason, ObjectNode node) {
    }

    /** The {@code deadLetterReason} an envelope was given (null: it was routed, not dead-lettered). */
    private static String deadLetterReasonOf(ObjectNode envelope) {
        JsonNode r = envelope.get(PipelineFields.DEAD_LETTER_REASON);
        return r != null && r.isTextual() ? r.asText() : null;
    }

    /** Where the pipeline counts what became of messages (the redrive counts its own dead letters there too). */
    public PipelineMetrics metrics() {
        return metrics;
    }

    private Finished envelope(InboundMessage m, JsonNode decoded, DeliveryOutcome o, Placement p, DeliveryJob job,
                              String corrupt, FailureStamp stamp, String rulesVersion) {
        String undecodable = decoded != null ? null
                : m.value() != null ? Base64.getEncoder().encodeToString(m.value()) : m.rawValue();
        ObjectNode whole = judged(marked(RoutedEnvelope.build(decoded, undecodable, o, m.source()), p, o),
                rulesVersion);
        String stream = finish(whole, p.stream(), o, corrupt, stamp);
        byte[] envelope = Json.toBytes(whole);
        if (RoutedEnvelope.fits(m.key(), envelope)) {
            return new Finished(stream, envelope, deadLetterReasonOf(whole), whole);
        }
        // a poison value (e.g. ~1 MB of non-JSON, base64-encoded) whose envelope OCI would refuse: keep a prefix
        // and its hash instead, so the batch can be settled rather than redelivered forever
        Source.describe(log.warn("message.value_truncated").syncId(job.syncId())
                        .traceId(StreamMessage.traceIdOf(decoded)).sourceId(sourceIdOf(decoded)),
                        m.source())
                .count("valueBytes", m.value() != null ? m.value().length
                        : m.rawValue() == null ? 0 : m.rawValue().length()).write();
        ObjectNode capped = judged(marked(RoutedEnvelope.capped(decoded, m.value(), m.rawValue(), o, m.source()), p,
                o), rulesVersion);
        finish(capped, p.stream(), o, corrupt, stamp);
        return new Finished(stream, Json.toBytes(capped), deadLetterReasonOf(capped), capped);
    }

    /**
     * Records the version of the rules that judged (and shaped) this attempt; none when the source had no rules
     * then, so an earlier attempt's version is never left to speak for this one.
     */
    private static ObjectNode judged(ObjectNode env, String rulesVersion) {
        if (rulesVersion != null) {
            env.put(PipelineFields.RULES_VERSION, rulesVersion);
        } else {
            env.remove(PipelineFields.RULES_VERSION);
        }
        return env;
    }

    private static ObjectNode marked(ObjectNode env, Placement p, DeliveryOutcome o) {
        if (p.heldBehind() != null) {
            RoutedEnvelope.heldBehind(env, p.heldBehind());
        }
        if (p.deadLetteredWithBlocker()) {
            RoutedEnvelope.deadLetteredWithBlocker(env, o.at());
        }
        return env;
    }

    /** Dead-letters a corrupt message, or stamps a failure's envelope; returns the stream it goes to. */
    private static String finish(ObjectNode envelope, String route, DeliveryOutcome o, String corrupt,
                                 FailureStamp stamp) {
        if (corrupt != null) {
            DeadLetterReason.CORRUPT.mark(envelope, o.at());
            return route;
        }
        return stamp.stamp(envelope, route, o);
    }

    /** What the workers learn of each message while preparing it, by batch index. */
    private final class Batch {
        final JsonNode[] decoded;
        final DeliveryJob[] jobs;
        final KeyRef[] keys;
        final Verdict[] verdicts;
        final String[] rulesVersions;
        /** The line each message gets once its syncId is known (redriven, replayed), or null. */
        final String readEvent;

        Batch(int size, String readEvent) {
            this.readEvent = readEvent;
            decoded = new JsonNode[size];
            jobs = new DeliveryJob[size];
            keys = new KeyRef[size];
            verdicts = new Verdict[size];
            rulesVersions = new String[size];
        }

        /** A corrupt error-stream message is not delivered: it fails as invalid, with its problem. */
        DeliveryJob corrupt(int i, InboundMessage m, String problem) {
            JsonNode node = null;
            try {
                node = m.value() == null ? null : ExactJson.parse(m.value(), StreamMessage.TARGET_REST_API_PAYLOAD);
            } catch (IOException e) {
                // not JSON: the envelope keeps the bytes (base64)
            }
            decoded[i] = node != null && node.isObject() ? node : null;
            JsonNode id = decoded[i] == null ? null : decoded[i].get(StreamMessage.SYNC_ID);
            jobs[i] = DeliveryJob.invalid(null, m.source(), id != null && id.isTextual() ? id.asText() : null,
                    Failure.of(FailureKind.INVALID, problem));
            return jobs[i];
        }

        DeliveryJob prepare(int i, InboundMessage m, OrderingPass pass, RulesPass rulesPass) {
            DecodedJob p = BatchPipeline.this.prepare(m);
            decoded[i] = p.node;
            DeliveryJob job = p.job;
            if (readEvent != null && job.syncId() != null) {
                // before its attempts, so a trace reads "redriven, attempt, ..." in the order it happened
                Source.describe(log.info(readEvent).syncId(job.syncId()).traceId(StreamMessage.traceIdOf(p.node))
                        .sourceId(sourceIdOf(p.node)), m.source())
                        .write();
            }
            if (m.key() != null && job.syncId() != null && ordering.enabled()) {
                keys[i] = new KeyRef(sourceIdOf(p.node), m.key());
                if (job.request() != null) {
                    Verdict v = pass.verdict(keys[i], job.syncId());
                    verdicts[i] = v;
                    if (v instanceof Verdict.Hold h) {
                        job = DeliveryJob.held(m.key(), m.source(), job.syncId(), h.blocker());
                    } else if (v instanceof Verdict.DeadLetter d) {
                        job = DeliveryJob.endsWithBlocker(m.key(), m.source(), job.syncId(), d.blocker());
                    }
                }
            }
            Instant due = job.request() == null ? null : DeliverAfter.of(p.message);
            if (due != null && due.isAfter(clock.instant())) {
                // not yet: routed without a call to wait in the delay stream; its key waits behind it
                job = DeliveryJob.delayed(m.key(), m.source(), job.syncId(), due);
            }
            if (job.request() != null) {
                job = judge(i, m, p.message, job, rulesPass);
            }
            jobs[i] = job;
            return job;
        }

        /** The message as its source's rules decide it: sent (maybe reshaped), filtered, or transformFailed. */
        private DeliveryJob judge(int i, InboundMessage m, StreamMessage message, DeliveryJob job, RulesPass pass) {
            Optional<CompiledRules> sourceRules;
            try {
                sourceRules = pass.of(message.sourceId());
            } catch (StateUnavailableException e) {
                // like an unreadable allow-list: tried again later, never sent unjudged
                return DeliveryJob.invalid(m.key(), m.source(), job.syncId(), Failure.of(FailureKind.NETWORK,
                        "the rules of source " + message.sourceId() + " cannot be read now: " + e.getMessage()));
            }
            if (sourceRules.isEmpty()) {
                return job;
            }
            RulesVerdict verdict = sourceRules.get().judge(message, m.key(), rules.budget());
            rulesVersions[i] = verdict.version();
            if (verdict instanceof RulesVerdict.Filtered) {
                return DeliveryJob.filtered(m.key(), m.source(), job.syncId());
            }
            if (verdict instanceof RulesVerdict.Failed f) {
                // the reason may quote the message's data: it goes to the envelope (beside the payload), not the log
                Source.describe(log.warn("rules.failed").syncId(job.syncId()).sourceId(message.sourceId())
                        .rulesVersion(f.version()).field(f.expression()).code(f.code()), m.source()).write();
                return DeliveryJob.invalid(m.key(), m.source(), job.syncId(),
                        Failure.of(FailureKind.TRANSFORM_FAILED, f.reason()));
            }
            RulesVerdict.Send send = (RulesVerdict.Send) verdict;
            return DeliveryJob.deliver(m.key(), m.source(), job.request().judgedBy(send.version(), send.body()));
        }
    }

    private record DecodedJob(JsonNode node, DeliveryJob job, StreamMessage message) {
        DecodedJob(JsonNode node, DeliveryJob job) {
            this(node, job, null);
        }
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
        return new DecodedJob(obj, DeliveryJob.deliver(m.key(), m.source(), DeliveryRequest.of(v.value())), v.value());
    }
}
