package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.SecretVersion;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One version of a secret as stored.
 *
 * @param content base64 text exactly as the caller sent it (OCI returns it verbatim, never decoded)
 * @param stages  rotation stages this version is in right now (CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED)
 */
public record SecretVersionRecord(String secretId, long versionNumber, String name, String content,
                                  Set<SecretVersion.Stages> stages, long timeCreatedMillis) {

    public SecretVersionRecord {
        stages = stages.isEmpty() ? EnumSet.noneOf(SecretVersion.Stages.class) : EnumSet.copyOf(stages);
    }

    public boolean hasStage(SecretVersion.Stages stage) {
        return stages.contains(stage);
    }

    /** Stages in enum order, as stored ("CURRENT,LATEST"). */
    public String stagesText() {
        return stages.stream().map(SecretVersion.Stages::getValue).collect(Collectors.joining(","));
    }

    public static Set<SecretVersion.Stages> parseStages(String text) {
        Set<SecretVersion.Stages> out = EnumSet.noneOf(SecretVersion.Stages.class);
        if (text != null && !text.isEmpty()) {
            Arrays.stream(text.split(",")).map(SecretVersion.Stages::create).forEach(out::add);
        }
        return out;
    }

    public List<SecretVersion.Stages> stageList() {
        return List.copyOf(stages);
    }

    public SecretVersionRecord withStages(Set<SecretVersion.Stages> newStages) {
        return new SecretVersionRecord(secretId, versionNumber, name, content, newStages, timeCreatedMillis);
    }
}
