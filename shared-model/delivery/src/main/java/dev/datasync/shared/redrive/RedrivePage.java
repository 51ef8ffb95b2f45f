package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.KeyRef;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.DeadLetterReason;
import dev.datasync.shared.routing.ErrorStreamEnvelope;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.routing.RoutedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settles the pages of one stream in one pass. Each message, in page order:
 * <ol>
 * <li>a manual replay already delivered or moved it (its partition's replay marks) → left alone;</li>
 * <li>corrupt ({@link ErrorStreamEnvelope}) → handed to the pipeline, which dead-letters it;</li>
 * <li>it cannot be tried now (not due, or waiting behind its key) and is past {@code redrive_max_age} →
 * dead-lettered ({@code maxAge});</li>
 * <li>an earlier message of its key (sourceId, streamKey) in this pass was not delivered, or the
 * {@link OrderGate} says it must wait, or its {@code nextAttemptAt} is in the future → copied forward: appended
 * unchanged, same key, to the same stream;</li>
 * <li>due → delivered through {@link BatchPipeline#processRedriven} with Idempotency-Key = syncId; a failure stays in
 * this stream with its next slot, or goes to the unrecoverable stream or the DeadLetterStream ({@link PassStamp}).</li>
 * </ol>
 * The pipeline's appends come before the copies, so a key's messages keep their order in the stream: a message is
 * only copied forward after every earlier one of its key that went to the pipeline. Once every message is placed,
 * the page's delivered and moved offsets are recorded in each partition's marks ({@link PartitionClaim#record}),
 * before the pass commits.
 */
final class RedrivePage {

    /** What every page of the pass uses. */
    record Parts(BatchPipeline pipeline, ErrorStreamRouter router, RedriveSchedule schedule,
                 RouteSelector applicationRoutes, String unrecoverableStream, OrderGate gate, Clock clock,
                 JsonLog log) {
    }

    /** Totals over the pages settled so far. */
    static final class Counts {
        int read;
        int delivered;
        int reappended;
        int deadLettered;
        int unrecoverable;
        int alreadySettled;
    }

    private final Parts parts;
    private final String stream;
    /** The claim on each partition the pass reads: its lease, and the marks of what replays settled there. */
    private final Map<String, PartitionClaim> claims;
    private final Deadline deadline;
    private final PassStamp stamp;
    private final RouteSelector routes;
    /** Keys with a message in this pass that was not delivered: their later messages wait. */
    private final Set<String> blockedKeys = new HashSet<>();

    RedrivePage(Parts parts, String stream, Map<String, PartitionClaim> claims, Deadline deadline) {
        this.parts = parts;
        this.stream = stream;
        this.claims = claims;
        this.deadline = deadline;
        this.stamp = new PassStamp(parts.schedule(), stream);
        String unrecoverable = parts.unrecoverableStream();
        // a failure stays in this stream (so a key's messages stay in one partition, in order) unless it can no
        // longer succeed
        this.routes = f -> unrecoverable.equals(parts.applicationRoutes().streamFor(f)) ? unrecoverable : stream;
    }

    void settle(List<RedriveSource.Message> page, Counts counts) {
        Instant now = parts.clock().instant();
        List<OrderGate.Candidate> candidates = new ArrayList<>(page.size());
        List<InboundMessage> corrupt = new ArrayList<>();
        PageMarks marks = new PageMarks();
        int alreadySettled = 0;
        for (RedriveSource.Message m : page) {
            PartitionClaim claim = claims.get(m.partition());
            if (claim != null && claim.settlementOf(m.offset()).isPresent()) {
                alreadySettled++;
                continue;
            }
            InboundMessage in = InboundMessage.decoded(m.key() == null ? null
                    : new String(m.key(), StandardCharsets.UTF_8), m.value(),
                    new Source(stream, m.partition(), m.offset()));
            ErrorStreamEnvelope e = ErrorStreamEnvelope.read(in);
            if (e.corrupt()) {
                corrupt.add(in);
                marks.moved(in);
            } else {
                candidates.add(new OrderGate.Candidate(in, e, text(e.node().get(StreamMessage.SOURCE_ID)), in.key()));
            }
        }
        parts.gate().beginPage(candidates);

        List<InboundMessage> due = new ArrayList<>(corrupt);
        List<OrderGate.Candidate> dueCandidates = new ArrayList<>();
        List<OrderGate.Settled> settled = new ArrayList<>();
        List<RoutedMessage> forward = new ArrayList<>();
        List<RoutedMessage> aged = new ArrayList<>();
        List<JsonNode> agedEnvelopes = new ArrayList<>();
        for (OrderGate.Candidate c : candidates) {
            String key = orderingKey(c);
            boolean waits = key != null && blockedKeys.contains(key) || parts.gate().mustWait(c);
            if ((waits || !c.envelope().dueAt(now)) && parts.schedule().aged(c.envelope().firstFailedAt(), now)) {
                aged.add(deadLetter(c, now));
                agedEnvelopes.add(c.envelope().node());
                marks.moved(c.message());
                settled.add(new OrderGate.Settled(c, OrderGate.Fate.DEAD_LETTERED));
            } else if (waits || !c.envelope().dueAt(now)) {
                forward.add(copy(c));
                marks.moved(c.message());
                settled.add(new OrderGate.Settled(c, OrderGate.Fate.WAITING));
                if (key != null) {
                    blockedKeys.add(key);
                }
            } else {
                due.add(c.message());
                dueCandidates.add(c);
            }
        }

        BatchReport report = due.isEmpty() ? new BatchReport(List.of(), 0, 0, Set.of(), 0, List.of())
                : parts.pipeline().processRedriven(due, deadline, routes, stamp);
        for (int i = 0; i < dueCandidates.size(); i++) {
            OrderGate.Candidate c = dueCandidates.get(i);
            // filtered out by its source's rules: as done with as a delivered one, its key no longer waits for it
            boolean delivered = report.outcomes().get(corrupt.size() + i).done();
            OrderGate.Fate fate = delivered ? OrderGate.Fate.DELIVERED
                    : fate(report.appendedTo().get(corrupt.size() + i));
            if (fate == OrderGate.Fate.REAPPENDED && orderingKey(c) != null) {
                // still waiting in this stream: the rest of its key waits behind it
                blockedKeys.add(orderingKey(c));
            }
            if (delivered) {
                marks.delivered(c.message());
            } else {
                marks.moved(c.message());
            }
            settled.add(new OrderGate.Settled(c, fate));
        }
        List<RoutedMessage> placed = new ArrayList<>(forward);
        placed.addAll(aged);
        parts.router().place(placed);
        // placed for good: their outcome callbacks may go (a pass that dies first reads the page again)
        parts.pipeline().callBackDeadLettered(agedEnvelopes, now, deadline);
        // the held keys hear of what ended before the marks say the page is done: a pass that dies in between reads
        // the page again instead of skipping a dead-lettered blocker the held keys still wait for
        parts.gate().settled(settled);
        marks.record(claims);

        counts.read += page.size();
        counts.alreadySettled += alreadySettled;
        counts.delivered += report.delivered() + report.filtered(); // filtered: settled as done, like delivered
        counts.reappended += forward.size();
        counts.deadLettered += aged.size();
        for (String to : report.appendedTo()) {
            if (to == null) {
                continue;
            }
            switch (fate(to)) {
                case REAPPENDED, MOVED -> counts.reappended++;
                case DEAD_LETTERED -> counts.deadLettered++;
                default -> counts.unrecoverable++;
            }
        }
        parts.log().info("redrive.page").streamId(stream).count("read", page.size())
                .count("due", dueCandidates.size()).count("copiedForward", forward.size())
                .count("delivered", report.delivered()).count("alreadySettled", alreadySettled).write();
    }

    /** A page's settled offsets by partition, for the replay marks. */
    private static final class PageMarks {
        private final Map<String, List<Long>> delivered = new HashMap<>();
        private final Map<String, List<Long>> moved = new HashMap<>();

        void delivered(InboundMessage m) {
            delivered.computeIfAbsent(m.source().partition(), p -> new ArrayList<>()).add(m.source().offset());
        }

        void moved(InboundMessage m) {
            moved.computeIfAbsent(m.source().partition(), p -> new ArrayList<>()).add(m.source().offset());
        }

        /** One conditional write per partition with news, before the pass commits. */
        void record(Map<String, PartitionClaim> claims) {
            claims.forEach((partition, claim) -> claim.record(delivered.getOrDefault(partition, List.of()),
                    moved.getOrDefault(partition, List.of())));
        }
    }

    /** Where a due message that was not delivered went: its stream tells. */
    private OrderGate.Fate fate(String appendedTo) {
        if (stream.equals(appendedTo)) {
            return OrderGate.Fate.REAPPENDED;
        }
        if (parts.schedule().settings().deadLetterStream().equals(appendedTo)) {
            return OrderGate.Fate.DEAD_LETTERED;
        }
        // held behind a message of its key that waits in another redriven stream, or ended where nobody redrives
        return parts.schedule().settings().redriven(appendedTo) ? OrderGate.Fate.MOVED : OrderGate.Fate.UNRECOVERABLE;
    }

    /** The key a message's order is kept under: (sourceId, streamKey); null for a keyless message. */
    private static String orderingKey(OrderGate.Candidate c) {
        return KeyRef.lane(c.sourceId(), c.streamKey());
    }

    /** The message as it was read, appended again to the same stream with the same key. */
    private RoutedMessage copy(OrderGate.Candidate c) {
        InboundMessage m = c.message();
        return new RoutedMessage(stream, m.key(), m.value(), text(c.envelope().node().get(StreamMessage.SYNC_ID)),
                m.source());
    }

    private RoutedMessage deadLetter(OrderGate.Candidate c, Instant now) {
        DeadLetterReason.MAX_AGE.mark(c.envelope().node(), now);
        InboundMessage m = c.message();
        String syncId = text(c.envelope().node().get(StreamMessage.SYNC_ID));
        parts.log().info(LogEvents.DEAD_LETTERED).syncId(syncId)
                .traceId(StreamMessage.traceIdOf(c.envelope().node())).sourceId(c.sourceId()).streamId(stream)
                .code(DeadLetterReason.MAX_AGE.value()).write();
        parts.pipeline().metrics().deadLettered(c.sourceId(), DeadLetterReason.MAX_AGE.value());
        return new RoutedMessage(parts.schedule().settings().deadLetterStream(), m.key(),
                Json.toBytes(c.envelope().node()), syncId, m.source());
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
