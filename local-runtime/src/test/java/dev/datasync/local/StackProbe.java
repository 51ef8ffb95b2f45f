package dev.datasync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/**
 * What a test of a running stack looks at and does from outside, as a user would: sync requests through its gateway,
 * {@code ./datasync sources …} on its data dir, and what was written — messages retained in DataSyncStream, Vault
 * secrets, local-oci's fault rules — read through the real SDK clients and admin endpoint.
 */
public final class StackProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SyncClient syncClient = new SyncClient(Duration.ofSeconds(60));
    private final VaultsClient vaults;
    private final JsonNode resources;

    public StackProbe(PipelineStack stack) throws Exception {
        this.stack = stack;
        Path oci = stack.dataDir().resolve("oci");
        this.resources = JSON.readTree(oci.resolve("resources.json").toFile());
        this.vaults = VaultsClient.builder().endpoint(stack.ociUrl())
                .build(new ConfigFileAuthenticationDetailsProvider(oci.resolve("config").toString(), "DEFAULT"));
    }

    /** A valid sync request body: with the target's token it would store a secret and write a message. */
    public static String body(String key, String secretName, String target) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"vaultSecretName\":\"" + secretName + "\","
                + "\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"" + key + "\"},\"targetRestApiHeaders\":[]}}";
    }

    /** POST /stream/sync with {@code headers} (name, value, …), JSON body. */
    public HttpResponse<String> sync(String body, String... headers) throws Exception {
        return syncClient.sync(stack.gatewayUrl(), body, headers);
    }

    /** POST /stream/sync as the source with this credential, the target's token in Authorization. */
    public HttpResponse<String> syncAs(String credential, String body, String targetToken) throws Exception {
        return sync(body, SourceHeaders.SOURCE_TOKEN, "Bearer " + credential, "Authorization", "Bearer " + targetToken);
    }

    public HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code ./datasync ARGS} in-process on the stack's data dir; answers its output (fails on non-zero). */
    public String cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of(args), Map.of("DATASYNC_DATA_DIR", stack.dataDir().toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code sources add ID ARGS --json}: the new source's credential. */
    public String addSource(String id, String... args) throws Exception {
        String[] argv = new String[args.length + 4];
        argv[0] = "sources";
        argv[1] = "add";
        argv[2] = id;
        System.arraycopy(args, 0, argv, 3, args.length);
        argv[argv.length - 1] = "--json";
        return JSON.readTree(cli(argv)).get("credential").asText();
    }

    /** Messages retained in DataSyncStream, all partitions. */
    public long dataStreamMessages() {
        StreamInspector inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        String id = resources.get("streams").get(Topology.DATA_STREAM).asText();
        long n = 0;
        for (int p = 0; p < inspector.get(id).getPartitions(); p++) {
            n += inspector.retained(id, Integer.toString(p));
        }
        return n;
    }

    /** Secrets in the stack's vault. */
    public int secrets() {
        return vaults.listSecrets(ListSecretsRequest.builder()
                .compartmentId(resources.get("compartments").get("DataSyncCompartment").asText())
                .vaultId(resources.get("vaults").get("DataSyncVault").asText()).limit(1000).build()).getItems().size();
    }

    /** local-oci's fault rules, read through its admin endpoint with the secret from its data dir. */
    public JsonNode ociFaults() throws Exception {
        return new OciAdmin(stack.ociUrl(), stack.dataDir()).faults();
    }

    public SourcePolicyStore policies() {
        return new SourcePolicyStore(stack.clients().objectStorage(), resources.get("namespace").asText(),
                Topology.STATE_BUCKET);
    }

    @Override
    public void close() {
        vaults.close();
    }
}
