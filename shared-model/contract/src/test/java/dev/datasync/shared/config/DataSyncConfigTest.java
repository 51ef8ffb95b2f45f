package dev.datasync.shared.config;

import dev.datasync.shared.config.internal.AllowEntry;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

public class DataSyncConfigTest {

    @Test
    public void defaultsFollowTheKeyTable() {
        DataSyncConfig c = DataSyncConfig.from(TestConfigs.valid());
        assertEquals(TestConfigs.DATA, c.streams().dataStream());
        assertEquals(OciAuth.RESOURCE_PRINCIPAL, c.oci().auth());
        assertEquals("DEFAULT", c.oci().configProfile());
        assertTrue(c.oci().region().isEmpty());
        assertEquals(URI.create("https://cell-1.streaming.us-ashburn-1.oci.oraclecloud.com"),
                c.oci().streamMessagesEndpoint());
        assertEquals(32, c.delivery().concurrency());
        assertEquals(4, c.delivery().maxAttempts());
        assertEquals(Duration.ofMillis(3000), c.delivery().connectTimeout());
        assertEquals(Duration.ofMillis(10000), c.delivery().requestTimeout());
        assertEquals(Duration.ofMillis(200), c.delivery().backoffBase());
        assertEquals(Duration.ofMillis(5000), c.delivery().backoffMax());
        assertEquals(30, c.vault().secretExpiryDays());
        assertEquals(14, c.vault().secretRetentionDays());
        assertEquals(100, c.syncLimits().maxBatchItems());
        // OCI's 1 MiB less the 16 KiB kept for the error-stream envelope of a failed delivery
        assertEquals(1_032_192, c.syncLimits().maxMessageBytes());
        assertTrue(c.targets().entries().isEmpty());
        assertTrue(c.targets().denied().isEmpty());
        assertFalse(c.targets().allowHttp());
        assertEquals(100, c.sourceDefaults().maxSecrets());
        assertTrue(c.oci().objectStorageEndpoint().isEmpty());
        assertEquals(Set.of(TestConfigs.UNRECOVERABLE, TestConfigs.UNAVAILABLE, TestConfigs.INTERNAL,
                TestConfigs.DEFAULT), c.retryableStreams());
    }

    @Test
    public void everyRequiredKeyIsNamedWhenMissing() {
        for (String key : new String[]{"data_stream_ocid", "unrecoverable_error_stream_ocid",
                "serviceUnavailable_error_stream_ocid", "internalserver_error_stream_ocid",
                "default_error_stream_ocid", "vault_ocid", "vault_compartment_ocid", "vault_key_ocid",
                "stream_messages_endpoint"}) {
            Map<String, String> m = TestConfigs.valid();
            m.remove(key);
            expectBadKey(m, key);
            expectBadKey(TestConfigs.with(key, "   "), key);
        }
    }

    @Test
    public void badValuesNameTheirKey() {
        expectBadKey(TestConfigs.with("data_stream_ocid", "not-an-ocid"), "data_stream_ocid");
        expectBadKey(TestConfigs.with("vault_ocid", "ocid1.stream.oc1..x"), "vault_ocid");
        expectBadKey(TestConfigs.with("oci_auth", "instance_principal"), "oci_auth");
        expectBadKey(TestConfigs.with("oci_region", "US East"), "oci_region");
        expectBadKey(TestConfigs.with("stream_messages_endpoint", "cell-1.streaming"), "stream_messages_endpoint");
        expectBadKey(TestConfigs.with("vaults_endpoint", "ftp://x"), "vaults_endpoint");
        expectBadKey(TestConfigs.with("secrets_endpoint", "https://user:pw@x"), "secrets_endpoint");
        expectBadKey(TestConfigs.with("allow_http_targets", "yes"), "allow_http_targets");
        expectBadKey(TestConfigs.with("delivery_concurrency", "0"), "delivery_concurrency");
        expectBadKey(TestConfigs.with("delivery_concurrency", "ten"), "delivery_concurrency");
        expectBadKey(TestConfigs.with("delivery_max_attempts", "0"), "delivery_max_attempts");
        expectBadKey(TestConfigs.with("delivery_connect_timeout_ms", "-1"), "delivery_connect_timeout_ms");
        expectBadKey(TestConfigs.with("delivery_request_timeout_ms", "0"), "delivery_request_timeout_ms");
        expectBadKey(TestConfigs.with("delivery_backoff_base_ms", "x"), "delivery_backoff_base_ms");
        Map<String, String> m = TestConfigs.with("delivery_backoff_base_ms", "500");
        m.put("delivery_backoff_max_ms", "100");
        expectBadKey(m, "delivery_backoff_max_ms");
        expectBadKey(TestConfigs.with("secret_expiry_days", "0"), "secret_expiry_days");
        expectBadKey(TestConfigs.with("secret_expiry_days", "91"), "secret_expiry_days");
        expectBadKey(TestConfigs.with("secret_retention_days", "seven"), "secret_retention_days");
        expectBadKey(TestConfigs.with("secret_retention_days", "-1"), "secret_retention_days");
        expectBadKey(TestConfigs.with("sync_max_batch_items", "0"), "sync_max_batch_items");
        expectBadKey(TestConfigs.with("sync_max_message_bytes", "1048577"), "sync_max_message_bytes");
        expectBadKey(TestConfigs.with("stream_compartment_ocid", "ocid1.vault.oc1..x"), "stream_compartment_ocid");
        expectBadKey(TestConfigs.with("target_allowlist", "a.example.com,,b.example.com"), "target_allowlist");
        expectBadKey(TestConfigs.with("target_allowlist", "10.0.0.0/33"), "target_allowlist");
        expectBadKey(TestConfigs.with("target_allowlist", "*.com.."), "target_allowlist");
        expectBadKey(TestConfigs.with("target_allowlist", "host:99999"), "target_allowlist");
        expectBadKey(TestConfigs.with("target_allowlist", "https://orders.example.com"), "target_allowlist");
        expectBadKey(TestConfigs.with("error_routing", "404"), "error_routing");
        expectBadKey(TestConfigs.with("error_routing", "4x4=ocid1.stream.oc1..x"), "error_routing");
        expectBadKey(TestConfigs.with("error_routing", "404=nope"), "error_routing");
        expectBadKey(TestConfigs.with("error_routing", "200=ocid1.stream.oc1..x"), "error_routing");
        expectBadKey(TestConfigs.with("retryable_stream_ocids", "ocid1.stream.oc1..a,bad"), "retryable_stream_ocids");
    }

    /** Regression (reference Terraform): a key-version OCID was passed where CreateSecret needs the master key. */
    @Test
    public void keyVersionIsRefusedAsVaultKey() {
        ConfigException e = expectBadKey(TestConfigs.with("vault_key_ocid", "ocid1.keyversion.oc1.iad.kv"),
                "vault_key_ocid");
        assertTrue(e.getMessage(), e.getMessage().contains("master key"));
    }

    @Test
    public void theDataStreamIsNeverAnErrorStreamNorRetryable() {
        expectBadKey(TestConfigs.with("default_error_stream_ocid", TestConfigs.DATA), "default_error_stream_ocid");
        expectBadKey(TestConfigs.with("error_routing", "404=" + TestConfigs.DATA), "error_routing");
        expectBadKey(TestConfigs.with("retryable_stream_ocids", TestConfigs.DATA), "retryable_stream_ocids");
    }

    @Test
    public void explicitValuesAreRead() {
        Map<String, String> m = TestConfigs.valid();
        m.put("oci_auth", "config_file");
        m.put("oci_config_file", existingFile());
        m.put("oci_config_profile", "LOCAL");
        m.put("oci_region", "us-phoenix-1");
        m.put("vaults_endpoint", "http://127.0.0.1:8080");
        m.put("secrets_endpoint", "http://127.0.0.1:8080");
        m.put("allow_http_targets", "true");
        m.put("target_allowlist", "orders.example.com, *.example.org,10.0.3.0/24,localhost:8443,[::1]:9000,fd00::/8");
        m.put("retryable_stream_ocids", "ocid1.stream.oc1..a , ocid1.stream.oc1..b");
        m.put("delivery_concurrency", "16");
        m.put("secret_expiry_days", "7");
        m.put("sync_max_batch_items", "50");
        m.put("sync_max_message_bytes", "65536");
        m.put("PATH", "/usr/bin"); // Fn passes the environment: unknown keys are ignored
        DataSyncConfig c = DataSyncConfig.from(m);
        assertEquals(OciAuth.CONFIG_FILE, c.oci().auth());
        assertEquals(existingFile(), c.oci().configFile().toString());
        assertEquals("LOCAL", c.oci().configProfile());
        assertEquals("us-phoenix-1", c.oci().region().orElseThrow());
        assertEquals(URI.create("http://127.0.0.1:8080"), c.oci().vaultsEndpoint().orElseThrow());
        assertTrue(c.targets().allowHttp());
        assertEquals(6, c.targets().entries().size());
        assertEquals(new AllowEntry.Host("orders.example.com"), c.targets().entries().get(0));
        assertEquals(new AllowEntry.Domain("example.org"), c.targets().entries().get(1));
        assertTrue(c.targets().entries().get(2) instanceof AllowEntry.Cidr);
        assertEquals(new AllowEntry.HostPort("localhost", 8443), c.targets().entries().get(3));
        assertEquals(new AllowEntry.HostPort("0:0:0:0:0:0:0:1", 9000), c.targets().entries().get(4));
        assertEquals(Set.of("ocid1.stream.oc1..a", "ocid1.stream.oc1..b"), c.retryableStreams());
        assertEquals(16, c.delivery().concurrency());
        assertEquals(7, c.vault().secretExpiryDays());
        assertEquals(50, c.syncLimits().maxBatchItems());
        assertEquals(65536, c.syncLimits().maxMessageBytes());
    }

    /** A replayed message must still find its token: retention must outlast the longest error-stream retention. */
    @Test
    public void secretRetentionBelowEightDaysIsRefusedWithTheReason() {
        try {
            DataSyncConfig.from(TestConfigs.with("secret_retention_days", "7"));
            fail("7 days accepted");
        } catch (ConfigException e) {
            assertEquals("secret_retention_days", e.key());
            assertTrue(e.getMessage(), e.getMessage().contains("7 days"));
        }
        assertEquals(8, DataSyncConfig.from(TestConfigs.with("secret_retention_days", "8")).vault()
                .secretRetentionDays());
        assertEquals(30, DataSyncConfig.from(TestConfigs.with("secret_retention_days", "30")).vault()
                .secretRetentionDays());
    }

    /** FnTestingRule (and older Fn versions) pass config keys upper-cased; both spellings must work. */
    @Test
    public void upperCasedKeysAreAccepted() {
        Map<String, String> upper = new java.util.HashMap<>();
        TestConfigs.valid().forEach((k, val) -> upper.put(k.toUpperCase(java.util.Locale.ROOT), val));
        upper.put("DELIVERY_CONCURRENCY", "8");
        DataSyncConfig c = DataSyncConfig.from(upper);
        assertEquals(TestConfigs.UNAVAILABLE, c.streams().serviceUnavailable());
        assertEquals(8, c.delivery().concurrency());
    }

    @Test
    public void configFileDefaultsToHomeDirectory() {
        DataSyncConfig c = DataSyncConfig.from(TestConfigs.valid());
        assertEquals(System.getProperty("user.home") + "/.oci/config", c.oci().configFile().toString());
    }

    @Test
    public void configFileAuthNeedsAReadableFile() {
        Map<String, String> m = TestConfigs.with("oci_auth", "config_file");
        m.put("oci_config_file", "/nonexistent/oci/config");
        expectBadKey(m, "oci_config_file");
    }

    private static String existingFile;

    static synchronized String existingFile() {
        if (existingFile == null) {
            try {
                java.nio.file.Path p = java.nio.file.Files.createTempFile("oci", ".config");
                p.toFile().deleteOnExit();
                existingFile = p.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return existingFile;
    }

    /** Regression: 1 MiB was accepted, leaving no room for the routed envelope of such a message. */
    @Test
    public void syncMaxMessageBytesKeepsHeadroomForTheErrorStreamEnvelope() {
        assertEquals(1_032_192, DataSyncConfig.from(TestConfigs.with("sync_max_message_bytes", "1032192"))
                .syncLimits().maxMessageBytes());
        ConfigException e = expectBadKey(TestConfigs.with("sync_max_message_bytes", "1048576"),
                "sync_max_message_bytes");
        assertTrue(e.getMessage(), e.getMessage().contains("1032192") && e.getMessage().contains("envelope"));
        expectBadKey(TestConfigs.with("sync_max_message_bytes", "1032193"), "sync_max_message_bytes");
    }

    @Test
    public void theStateStoreIsTheSharedBucketInTheCallersNamespaceUnlessConfigured() {
        StateStore defaults = DataSyncConfig.from(TestConfigs.valid()).state();
        assertEquals("datasync-state", defaults.bucket());
        assertTrue(defaults.namespace().isEmpty());
        Map<String, String> m = TestConfigs.with("object_storage_namespace", "axaxnpcrorw5");
        m.put("state_bucket", "datasync-state-eu");
        StateStore set = DataSyncConfig.from(m).state();
        assertEquals("axaxnpcrorw5", set.namespace().orElseThrow());
        assertEquals("datasync-state-eu", set.bucket());
        expectBadKey(TestConfigs.with("object_storage_namespace", "My Namespace"), "object_storage_namespace");
        expectBadKey(TestConfigs.with("state_bucket", "sources/x"), "state_bucket");
        expectBadKey(TestConfigs.with("state_bucket", "b".repeat(257)), "state_bucket");
    }

    @Test
    public void theDenylistHasTheAllowlistSyntaxAndNamesItsOwnKey() {
        Map<String, String> m = TestConfigs.with("target_denylist", "127.0.0.1:4000, localhost:4000,[::1]:4000");
        assertEquals(3, DataSyncConfig.from(m).targets().denied().size());
        expectBadKey(TestConfigs.with("target_denylist", "host:99999"), "target_denylist");
        expectBadKey(TestConfigs.with("target_denylist", "10.0.0.0/33"), "target_denylist");
        expectBadKey(TestConfigs.with("target_denylist", "a.example.com,,b"), "target_denylist");
        expectBadKey(TestConfigs.with("target_denylist", "https://x.example.com"), "target_denylist");
    }

    @Test
    public void sourceDefaultsAndTheObjectStorageEndpointAreRead() {
        Map<String, String> m = TestConfigs.with("source_default_max_secrets", "7");
        m.put("object_storage_endpoint", "http://127.0.0.1:4567");
        DataSyncConfig c = DataSyncConfig.from(m);
        assertEquals(7, c.sourceDefaults().maxSecrets());
        assertEquals(URI.create("http://127.0.0.1:4567"), c.oci().objectStorageEndpoint().orElseThrow());
        expectBadKey(TestConfigs.with("source_default_max_secrets", "0"), "source_default_max_secrets");
        expectBadKey(TestConfigs.with("source_default_max_secrets", "many"), "source_default_max_secrets");
        expectBadKey(TestConfigs.with("object_storage_endpoint", "objectstorage"), "object_storage_endpoint");
    }

    @Test
    public void theIdempotencyWindowIsADurationOfFiveMinutesToThirtyDays() {
        assertEquals(Duration.ofHours(24), DataSyncConfig.from(TestConfigs.valid()).idempotency().window());
        assertEquals(Duration.ofMinutes(90),
                DataSyncConfig.from(TestConfigs.with("idempotency_window", "90m")).idempotency().window());
        assertEquals(Duration.ofSeconds(300),
                DataSyncConfig.from(TestConfigs.with("idempotency_window", "300s")).idempotency().window());
        assertEquals(Duration.ofDays(30),
                DataSyncConfig.from(TestConfigs.with("idempotency_window", "720h")).idempotency().window());
        for (String bad : new String[]{"24", "1d", "0h", "-5m", "1.5h", "h", "24 h", "4m", "721h",
                "9999999999h"}) {
            ConfigException e = expectBadKey(TestConfigs.with("idempotency_window", bad), "idempotency_window");
            assertTrue(e.getMessage(), e.getMessage().contains(bad));
        }
    }

    @Test
    public void keyOrderingIsOnAndReleasesByDefaultAndABadValueIsRefusedNamingItsKey() {
        assertEquals(KeyOrdering.DEFAULT, DataSyncConfig.from(TestConfigs.valid()).ordering());
        assertTrue(KeyOrdering.DEFAULT.enabled());
        assertEquals(KeyOrdering.HeldOnDeadLetter.RELEASE, KeyOrdering.DEFAULT.heldOnDeadLetter());
        assertFalse(DataSyncConfig.from(TestConfigs.with("key_ordering", "false")).ordering().enabled());
        assertEquals(KeyOrdering.HeldOnDeadLetter.DEAD_LETTER,
                DataSyncConfig.from(TestConfigs.with("held_on_dead_letter", "deadLetter")).ordering()
                        .heldOnDeadLetter());
        expectBadKey(TestConfigs.with("key_ordering", "yes"), "key_ordering");
        for (String bad : new String[]{"deadletter", "DEAD_LETTER", "drop", "Release"}) {
            ConfigException e = expectBadKey(TestConfigs.with("held_on_dead_letter", bad), "held_on_dead_letter");
            assertTrue(e.getMessage(), e.getMessage().contains(bad));
        }
    }

    @Test
    public void bulkIngestReadsItsBucketSizeAndNamePattern() {
        IngestSettings defaults = DataSyncConfig.from(TestConfigs.valid()).ingest();
        assertEquals("datasync-ingest", defaults.bucket());
        assertEquals(64 * 1024 * 1024, defaults.maxObjectBytes());
        assertEquals("incoming/*", defaults.objectNamePattern());
        assertTrue(defaults.admits("incoming/orders-app/2026-01-01.jsonl"));
        assertFalse(defaults.admits("results/orders-app/x.jsonl"));

        Map<String, String> m = TestConfigs.with("ingest_bucket", "uploads");
        m.put("ingest_max_object_bytes", "1000");
        m.put("ingest_object_name_pattern", "incoming/*/*.jsonl");
        IngestSettings set = DataSyncConfig.from(m).ingest();
        assertEquals("uploads", set.bucket());
        assertEquals(1000, set.maxObjectBytes());
        assertTrue(set.admits("incoming/orders-app/a.b.jsonl"));
        assertTrue("a * spans '/' as in an Events condition", set.admits("incoming/orders-app/2026/01/a.jsonl"));
        assertFalse(set.admits("incoming/orders-app/a.csv"));
        assertFalse("regex characters are literal", set.admits("incoming/x/ajsonl"));

        expectBadKey(TestConfigs.with("ingest_bucket", "a/b"), "ingest_bucket");
        expectBadKey(TestConfigs.with("ingest_max_object_bytes", "0"), "ingest_max_object_bytes");
        expectBadKey(TestConfigs.with("ingest_max_object_bytes", "big"), "ingest_max_object_bytes");
        expectBadKey(TestConfigs.with("ingest_object_name_pattern", "*"), "ingest_object_name_pattern");
        expectBadKey(TestConfigs.with("ingest_object_name_pattern", "results/*"), "ingest_object_name_pattern");
    }

    static ConfigException expectBadKey(Map<String, String> m, String key) {
        try {
            DataSyncConfig.from(m);
        } catch (ConfigException e) {
            assertEquals(e.getMessage(), key, e.key());
            assertTrue(e.getMessage(), e.getMessage().startsWith(key + ": "));
            return e;
        }
        fail("expected a ConfigException for " + key);
        return null;
    }
}
