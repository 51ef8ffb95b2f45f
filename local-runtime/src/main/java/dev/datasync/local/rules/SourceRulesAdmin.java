package dev.datasync.local.rules;

import dev.datasync.local.oci.SourceRulesStore;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.rules.CompiledRules;
import dev.datasync.shared.rules.RulesException;
import dev.datasync.shared.rules.RulesFile;
import dev.datasync.shared.rules.RulesVersion;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code ./datasync sources rules}: what it does, apart from reading its arguments. Rules are checked (the file's
 * form, then both expressions compiled) before anything is written, so a source never has rules the functions
 * cannot compile; they are stored in their canonical form ({@link RulesFile#toBytes}), whose hash is the version
 * the delivery records. The delivering functions read them at their next batch.
 */
public final class SourceRulesAdmin {

    private final SourceRulesStore store;
    private final RulesSettings budget;

    public SourceRulesAdmin(SourceRulesStore store, RulesSettings budget) {
        this.store = store;
        this.budget = budget;
    }

    /** Checks {@code file} and compiles it; @throws RulesException naming the expression and position at fault. */
    public static CompiledRules check(byte[] file) throws RulesException {
        RulesFile rules = RulesFile.parse(file);
        byte[] stored = rules.toBytes();
        return CompiledRules.compile(rules, RulesVersion.of(stored));
    }

    /** Sets {@code sourceId}'s rules after checking them; @return their version. */
    public String set(String sourceId, byte[] file) throws RulesException {
        CompiledRules checked = check(file);
        store.put(sourceId, RulesFile.parse(file).toBytes());
        return checked.version();
    }

    /** @return whether the source had rules */
    public boolean clear(String sourceId) {
        return store.delete(sourceId);
    }

    /** The rules in force for {@code sourceId}, empty when it has none. */
    public Optional<CompiledRules> current(String sourceId) throws IOException {
        Optional<byte[]> stored = store.get(sourceId);
        return stored.map(CompiledRules::fromStored);
    }

    /**
     * What the target would receive for {@code syncRequest} sent by {@code sourceId}: under {@code file} when given
     * (checked, not stored), else under the rules in force.
     */
    public RulesTrial.Result test(String sourceId, byte[] file, byte[] syncRequest)
            throws RulesException, IOException, RulesTrial.BadMessage {
        CompiledRules rules = file != null ? check(file) : current(sourceId).orElse(null);
        return RulesTrial.judge(rules, sourceId, syncRequest, budget);
    }
}
