package dev.datasync.shared.rules;

import dev.datasync.shared.state.StateUnavailableException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The sources' rules for one batch: the first worker that meets a source reads its rules ({@link SourceRules}, one
 * state read), the others wait for that read and share it, so every message of a source in the batch is judged by
 * one version. A read that fails fails every message of that source in the batch the same way.
 */
public final class RulesPass {

    private final SourceRules rules;
    private final Map<String, CompletableFuture<Optional<CompiledRules>>> read = new ConcurrentHashMap<>();

    RulesPass(SourceRules rules) {
        this.rules = rules;
    }

    /**
     * The rules of {@code sourceId} for this batch (empty: none, the message goes as received).
     *
     * @throws StateUnavailableException when the state bucket could not be read
     */
    public Optional<CompiledRules> of(String sourceId) {
        if (sourceId == null) {
            return Optional.empty();
        }
        CompletableFuture<Optional<CompiledRules>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<CompiledRules>> first = read.putIfAbsent(sourceId, mine);
        if (first == null) {
            try {
                mine.complete(rules.current(sourceId));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            first = mine;
        }
        try {
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while reading the rules of source " + sourceId, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StateUnavailableException s) {
                throw s;
            }
            throw new StateUnavailableException("the rules of source " + sourceId + " could not be read", e.getCause());
        }
    }
}
