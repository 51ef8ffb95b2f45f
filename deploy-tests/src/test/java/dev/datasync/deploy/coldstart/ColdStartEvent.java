package dev.datasync.deploy.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.Resources;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The timed invocation: the image's training event (same request, same headers) aimed at local-oci instead of the
 * 404 stub, with the configuration func-configs/README.md gives a local stack, so the function builds its real
 * clients and really writes: a secret in DataSyncVault and a message in DataSyncStream. Each run gets its own
 * vaultSecretName so that every cold start does the same work (creates the secret, never finds it).
 */
final class ColdStartEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Properties training;
    private final Map<String, String> localConfig;

    private ColdStartEvent(Properties training, Map<String, String> localConfig) {
        this.training = training;
        this.localConfig = localConfig;
    }

    static ColdStartEvent against(LocalOci oci, Path trainingEvent) throws IOException {
        Properties training = new Properties();
        try (Reader r = Files.newBufferedReader(trainingEvent, StandardCharsets.UTF_8)) {
            training.load(r);
        }
        return new ColdStartEvent(training, localConfig(oci));
    }

    /**
     * The configuration func-configs/README.md gives a function of a local stack: local-oci's resources and
     * endpoints, plain-HTTP targets on 127.0.0.1; the tuning keys keep the function defaults.
     */
    static Map<String, String> localConfig(LocalOci oci) {
        Resources r = oci.resources();
        String compartment = r.compartments().get("DataSyncCompartment");
        return Map.ofEntries(
                Map.entry("data_stream_ocid", r.streams().get("DataSyncStream")),
                Map.entry("unrecoverable_error_stream_ocid", r.streams().get("UnrecoverableErrorStream")),
                Map.entry("serviceUnavailable_error_stream_ocid", r.streams().get("ServiceUnavailableErrorStream")),
                Map.entry("internalserver_error_stream_ocid", r.streams().get("InternalServerErrorStream")),
                Map.entry("default_error_stream_ocid", r.streams().get("DefaultErrorStream")),
                Map.entry("dead_letter_stream_ocid", r.streams().get("DeadLetterStream")),
                Map.entry("vault_ocid", r.vaults().get("DataSyncVault")),
                Map.entry("vault_compartment_ocid", compartment),
                Map.entry("vault_key_ocid", r.keys().get("DataSyncMasterKey")),
                Map.entry("stream_messages_endpoint", oci.baseUrl()),
                Map.entry("vaults_endpoint", oci.baseUrl()),
                Map.entry("secrets_endpoint", oci.baseUrl()),
                Map.entry("object_storage_endpoint", oci.baseUrl()),
                Map.entry("oci_region", r.region()),
                Map.entry("oci_auth", "config_file"),
                Map.entry("oci_config_file", oci.configFile().toString()),
                Map.entry("oci_config_profile", oci.profile()),
                Map.entry("allow_http_targets", "true"),
                Map.entry("target_allowlist", "127.0.0.1"));
    }

    /** Writes the event of run {@code runId} (a short unique name) into {@code dir}. */
    Path write(Path dir, String runId) throws IOException {
        Properties event = new Properties();
        event.putAll(training);
        localConfig.forEach((k, v) -> event.setProperty("config." + k, v));
        if (event.values().stream().anyMatch(v -> v.toString().contains("${stub}"))) {
            throw new IllegalStateException("training-event.properties has a ${stub} value this benchmark does not"
                    + " point at local-oci: " + event);
        }
        ObjectNode body = (ObjectNode) JSON.readTree(training.getProperty("body"));
        ((ObjectNode) body.get("streamMessage")).put("vaultSecretName", "cold-start-" + runId);
        event.setProperty("body", JSON.writeValueAsString(body));
        Path file = dir.resolve("event-" + runId + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            event.store(w, "cold-start benchmark event " + runId);
        }
        return file;
    }
}
