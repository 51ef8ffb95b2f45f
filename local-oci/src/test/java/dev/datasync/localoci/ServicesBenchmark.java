package dev.datasync.localoci;

import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.ons.NotificationDataPlaneClient;
import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.requests.PublishMessageRequest;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;

/**
 * Request rates of the Vault/Secrets/Object Storage/Notifications operations the pipeline uses, through the real
 * SDK with 4 client threads. Prints figures (no timed assertions); {@code -Dbench.mode=full} runs longer.
 */
public class ServicesBenchmark extends LocalOciTestBase {
    private static final int THREADS = 4;

    @FunctionalInterface
    interface Call {
        void run(int i) throws Exception;
    }

    @Test
    public void requestRates() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int calls = full ? 4000 : 200;
        String compartment = oci.resources().compartments().get("DataSyncCompartment");
        String vaultId = oci.resources().vaults().get("DataSyncVault");
        String keyId = oci.resources().keys().get("DataSyncMasterKey");
        String namespace = oci.resources().namespace();
        byte[] kilobyte = new byte[1024];
        try (VaultsClient vaults = VaultsClient.builder().endpoint(oci.baseUrl()).build(provider);
             SecretsClient secrets = SecretsClient.builder().endpoint(oci.baseUrl()).build(provider);
             ObjectStorageClient os = ObjectStorageClient.builder().endpoint(oci.baseUrl()).build(provider);
             NotificationDataPlaneClient ons = NotificationDataPlaneClient.builder().endpoint(oci.baseUrl())
                     .build(provider)) {
            AtomicInteger names = new AtomicInteger();
            Call createSecret = i -> vaults.createSecret(CreateSecretRequest.builder().createSecretDetails(
                    CreateSecretDetails.builder().compartmentId(compartment).vaultId(vaultId).keyId(keyId)
                            .secretName("bench-" + names.incrementAndGet())
                            .secretContent(Base64SecretContentDetails.builder().content("dG9rZW4=").build())
                            .build()).build());
            Call getByName = i -> secrets.getSecretBundleByName(GetSecretBundleByNameRequest.builder()
                    .secretName("bench-" + (1 + i % Math.max(1, names.get()))).vaultId(vaultId).build());
            Call putObject = i -> os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                    .bucketName("datasync-error-archive").objectName("bench/" + i).contentLength(1024L)
                    .putObjectBody(new ByteArrayInputStream(kilobyte)).build());
            Call getObject = i -> {
                try (InputStream in = os.getObject(GetObjectRequest.builder().namespaceName(namespace)
                        .bucketName("datasync-error-archive").objectName("bench/" + (i % calls)).build())
                        .getInputStream()) {
                    assertEquals(1024, in.readAllBytes().length);
                }
            };
            Call publish = i -> ons.publishMessage(PublishMessageRequest.builder()
                    .topicId(oci.resources().topics().get("datasync-error-notifications"))
                    .messageDetails(MessageDetails.builder().title("bench").body("message " + i).build()).build());

            List<String> figures = new ArrayList<>();
            for (Object[] op : new Object[][] {{"CreateSecret", createSecret}, {"GetSecretBundleByName", getByName},
                    {"PutObject1KB", putObject}, {"GetObject1KB", getObject}, {"PublishMessage", publish}}) {
                run((Call) op[1], Math.max(20, calls / 10)); // warm-up, not measured
                double perSecond = run((Call) op[1], calls);
                figures.add(String.format("\"%s\":%.0f", op[0], perSecond));
            }
            System.out.printf("{\"benchmark\":\"ServicesBenchmark\",\"mode\":\"%s\",\"threads\":%d,\"callsPerOp\":%d,"
                    + "\"requestsPerSecond\":{%s}}%n", full ? "full" : "short", THREADS, calls, String.join(",", figures));
        }
    }

    private static double run(Call call, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        call.run(i);
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }
}
