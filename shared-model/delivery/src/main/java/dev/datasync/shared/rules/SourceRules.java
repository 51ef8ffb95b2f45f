package dev.datasync.shared.rules;

import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sources' rules as every delivering container reads them: {@code rules/<source id>.json} in the state bucket
 * ({@link RulesFile#objectName}), written by Terraform on OCI and by {@code ./datasync sources rules} locally.
 * <p>
 * How a change takes effect: each batch (a ReadDataStream invocation, a replay page, a redrive page) asks Object
 * Storage once per source it meets ({@link RulesPass}), with {@code If-None-Match: <etag>} once the container has a
 * copy, so an unchanged object costs a 304 and its compiled expressions are reused. Object Storage is strongly
 * consistent: a batch that starts after a rules object was written uses it, in every container; a batch that was
 * already running finishes with the version it read. No message is judged by a copy older than its batch.
 * Without rules the message is sent byte for byte as received.
 */
public final class SourceRules {

    /** No rules for anyone: every message is sent as received (tests, functions that do not deliver). */
    public static final SourceRules NONE = new SourceRules(null, RulesSettings.DEFAULT);

    private final StateObjects state;
    private final RulesSettings budget;
    /** The last version read per source and its compiled form; a hint only, never used without Object Storage's 304. */
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(StateObject object, CompiledRules rules) {
    }

    public SourceRules(StateObjects state, RulesSettings budget) {
        this.state = state;
        this.budget = budget;
    }

    public RulesSettings budget() {
        return budget;
    }

    /** The rules for one batch: each source's are read at most once, by the first message that needs them. */
    public RulesPass begin() {
        return new RulesPass(this);
    }

    /** The rules of {@code sourceId} now; @throws StateUnavailableException when the state bucket cannot say. */
    Optional<CompiledRules> current(String sourceId) {
        if (state == null || sourceId == null) {
            return Optional.empty();
        }
        String name = RulesFile.objectName(sourceId);
        Kept last = kept.get(sourceId);
        Optional<StateObject> now = state.readIfChanged(name, last == null ? null : last.object());
        if (now.isEmpty()) {
            kept.remove(sourceId);
            return Optional.empty();
        }
        if (last != null && now.get().etag().equals(last.object().etag())) {
            return Optional.of(last.rules());
        }
        CompiledRules compiled = CompiledRules.fromStored(now.get().body());
        kept.put(sourceId, new Kept(now.get(), compiled));
        return Optional.of(compiled);
    }
}
