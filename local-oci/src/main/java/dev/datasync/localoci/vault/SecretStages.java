package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.SecretVersion.Stages;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How rotation stages move between versions, as OCI Vault describes them: exactly one CURRENT version; LATEST is
 * the newest version; a new CURRENT version pushes the old CURRENT to PREVIOUS and the old PREVIOUS out; a new
 * PENDING version replaces an older PENDING one; a version left without a stage is DEPRECATED. Pure functions
 * over the version list: the caller writes the result in one transaction.
 */
final class SecretStages {
    private SecretStages() {}

    /** Stage sets for every version (existing and {@code newNumber}) after a new version is added. */
    static Map<Long, Set<Stages>> afterNewVersion(List<SecretVersionRecord> existing, long newNumber, boolean pending) {
        Map<Long, Set<Stages>> out = copy(existing);
        for (Set<Stages> stages : out.values()) {
            stages.remove(Stages.Latest);
            if (pending) {
                stages.remove(Stages.Pending);
            }
        }
        if (!pending) {
            demoteCurrent(out);
        }
        Set<Stages> created = EnumSet.of(Stages.Latest, pending ? Stages.Pending : Stages.Current);
        out.put(newNumber, created);
        return deprecateEmpty(out);
    }

    /** Stage sets after version {@code target} becomes CURRENT (UpdateSecret with currentVersionNumber). */
    static Map<Long, Set<Stages>> afterPromotion(List<SecretVersionRecord> existing, long target) {
        Map<Long, Set<Stages>> out = copy(existing);
        Set<Stages> targetStages = out.get(target);
        if (targetStages.contains(Stages.Current)) {
            return out;
        }
        demoteCurrent(out);
        targetStages.removeAll(EnumSet.of(Stages.Pending, Stages.Previous, Stages.Deprecated));
        targetStages.add(Stages.Current);
        return deprecateEmpty(out);
    }

    private static void demoteCurrent(Map<Long, Set<Stages>> out) {
        for (Set<Stages> stages : out.values()) {
            stages.remove(Stages.Previous);
        }
        for (Set<Stages> stages : out.values()) {
            if (stages.remove(Stages.Current)) {
                stages.add(Stages.Previous);
            }
        }
    }

    private static Map<Long, Set<Stages>> copy(List<SecretVersionRecord> existing) {
        Map<Long, Set<Stages>> out = new LinkedHashMap<>();
        for (SecretVersionRecord v : existing) {
            Set<Stages> stages = EnumSet.noneOf(Stages.class);
            stages.addAll(v.stages());
            out.put(v.versionNumber(), stages);
        }
        return out;
    }

    private static Map<Long, Set<Stages>> deprecateEmpty(Map<Long, Set<Stages>> out) {
        for (Set<Stages> stages : out.values()) {
            if (stages.size() > 1) {
                stages.remove(Stages.Deprecated);
            }
            if (stages.isEmpty()) {
                stages.add(Stages.Deprecated);
            }
        }
        return out;
    }
}
