package dev.datasync.shared.rules;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.util.Map;

/**
 * One version of a source's rules, compiled once per container and version, evaluated by every delivery worker
 * (a compiled JSONata expression is thread-safe). {@link #judge} runs the filter, then the transform, within one
 * {@link RulesSettings budget}: the time and depth bound JSONata's evaluator itself (it checks them at every step
 * and stops with an error), the size is checked on the transform's value. Rules stored in a form that does not
 * compile ({@link #unusable}) fail every message of their source, which then waits in UnrecoverableErrorStream
 * until the rules are fixed and it is replayed.
 */
public final class CompiledRules {

    private static final int MAX_REASON = 300;

    private final String version;
    private final Jsonata filter;
    private final Jsonata transform;
    private final RulesException unusable;

    private CompiledRules(String version, Jsonata filter, Jsonata transform, RulesException unusable) {
        this.version = version;
        this.filter = filter;
        this.transform = transform;
        this.unusable = unusable;
    }

    /** Compiles both expressions; @throws RulesException naming the one that does not compile and where. */
    public static CompiledRules compile(RulesFile file, String version) throws RulesException {
        return new CompiledRules(version, compile(RulesFile.FILTER, file.filter()),
                compile(RulesFile.TRANSFORM, file.transform()), null);
    }

    /** The stored object {@code body}, compiled; when it is no usable rules file, rules that fail every message. */
    public static CompiledRules fromStored(byte[] body) {
        String version = RulesVersion.of(body);
        try {
            return compile(RulesFile.parse(body), version);
        } catch (RulesException e) {
            return new CompiledRules(version, null, null, e);
        }
    }

    private static Jsonata compile(String name, String expression) throws RulesException {
        if (expression == null) {
            return null;
        }
        try {
            return Jsonata.jsonata(expression);
        } catch (JException e) {
            throw new RulesException(name, e.getLocation(), e.getError(), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw new RulesException(name, -1, null, "does not compile (" + e.getClass().getSimpleName() + ")");
        }
    }

    public String version() {
        return version;
    }

    /** The problem of rules stored in a form that cannot be used, or null. */
    public RulesException unusable() {
        return unusable;
    }

    /**
     * What these rules make of a stored message (with its syncId, receivedAt and sourceId) of key
     * {@code streamKey}: the one judgement the delivery makes and {@code ./datasync sources rules --test} shows.
     */
    public RulesVerdict judge(StreamMessage message, String streamKey, RulesSettings budget) {
        Map<String, Object> document;
        try {
            document = RulesDocument.of(message, streamKey);
        } catch (IOException e) {
            return new RulesVerdict.Failed(version, null, null, "the payload could not be read for the rules");
        }
        return judge(document, budget);
    }

    /** What these rules make of a message whose rules document is {@code document} ({@link RulesDocument}). */
    public RulesVerdict judge(Map<String, Object> document, RulesSettings budget) {
        if (unusable != null) {
            return new RulesVerdict.Failed(version, unusable.expression(), unusable.code(),
                    "the source's stored rules cannot be used: " + unusable.describe());
        }
        long deadline = System.nanoTime() + budget.timeout().toNanos();
        if (filter != null) {
            Evaluation keep = evaluate(RulesFile.FILTER, filter, document, deadline, budget);
            if (keep.failure != null) {
                return keep.failure;
            }
            if (!(keep.value instanceof Boolean b)) {
                return new RulesVerdict.Failed(version, RulesFile.FILTER, null, "the filter expression gave "
                        + kind(keep.value) + ", not true or false");
            }
            if (!b) {
                return new RulesVerdict.Filtered(version);
            }
        }
        if (transform == null) {
            return new RulesVerdict.Send(version, null);
        }
        Evaluation shaped = evaluate(RulesFile.TRANSFORM, transform, document, deadline, budget);
        if (shaped.failure != null) {
            return shaped.failure;
        }
        if (shaped.value == null) {
            return new RulesVerdict.Failed(version, RulesFile.TRANSFORM, null,
                    "the transform expression gave no value (nothing to send)");
        }
        JsonNode body;
        try {
            body = JsonValues.toNode(shaped.value);
        } catch (JsonValues.NotJson e) {
            return new RulesVerdict.Failed(version, RulesFile.TRANSFORM, null,
                    "the transform expression gave " + e.getMessage());
        }
        byte[] bytes = Json.toBytes(body);
        if (bytes.length > budget.maxBodyBytes()) {
            return new RulesVerdict.Failed(version, RulesFile.TRANSFORM, null, "the transform expression gave "
                    + bytes.length + " bytes, over the size budget of " + budget.maxBodyBytes()
                    + " (rules_max_body_bytes)");
        }
        return new RulesVerdict.Send(version, bytes);
    }

    private record Evaluation(Object value, RulesVerdict.Failed failure) {
    }

    private Evaluation evaluate(String name, Jsonata expression, Map<String, Object> document, long deadline,
                                RulesSettings budget) {
        long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.setRuntimeBounds(leftMs, budget.maxDepth());
            return new Evaluation(expression.evaluate(document, frame), null);
        } catch (JException e) {
            return new Evaluation(null, new RulesVerdict.Failed(version, name, e.getError(),
                    "the " + name + " expression " + failure(e, budget)));
        } catch (StackOverflowError e) {
            return new Evaluation(null, new RulesVerdict.Failed(version, name, null,
                    "the " + name + " expression ran too deep for the worker's stack"));
        } catch (RuntimeException e) {
            // a function of the library failed without a JSONata error (e.g. $number of a text): its message may
            // quote the message's data, so only its kind is kept
            return new Evaluation(null, new RulesVerdict.Failed(version, name, null,
                    "the " + name + " expression failed (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static String failure(JException e, RulesSettings budget) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Expression evaluation timeout")) {
            return "ran over its time budget of " + budget.timeout().toMillis() + " ms (rules_timeout_ms)";
        }
        if (m.contains("Stack overflow error")) {
            return "ran over its depth budget of " + budget.maxDepth() + " (rules_max_depth)";
        }
        String text = m.length() > MAX_REASON ? m.substring(0, MAX_REASON) + "…" : m;
        return "failed" + (e.getLocation() >= 0 ? " at position " + e.getLocation() : "") + ": " + text
                + (e.getError() == null ? "" : " (" + e.getError() + ")");
    }

    private static String kind(Object v) {
        if (v == null) {
            return "no value";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof java.util.List) {
            return "an array";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
