package dev.datasync.local.stack;

import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.localoci.Resources;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** func-configs/local/app-config.json uses only keys of the README's table and fills into a valid config. */
public class AppConfigTemplateTest {

    private static final RepoLayout REPO = RepoLayout.locate();

    private static Resources resources() {
        Map<String, String> streams = new HashMap<>();
        for (String s : new String[]{"DataSyncStream", "UnrecoverableErrorStream", "ServiceUnavailableErrorStream",
                "InternalServerErrorStream", "DefaultErrorStream", "DeadLetterStream"}) {
            streams.put(s, "ocid1.stream.oc1.iad." + s.toLowerCase());
        }
        return new Resources("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "us-ashburn-1", "ns",
                Map.of("DataSyncCompartment", "ocid1.compartment.oc1..c"), Map.of(), streams,
                Map.of("DataSyncVault", "ocid1.vault.oc1.iad.v"), Map.of("DataSyncMasterKey", "ocid1.key.oc1.iad.k"),
                Map.of(), Map.of());
    }

    private static Map<String, String> fill(Map<String, String> env) throws Exception {
        Path cfg = Files.createTempFile("oci", ".config");
        return AppConfigTemplate.fill(REPO.appConfigTemplate(), resources(),
                new AppConfigTemplate.OciEndpoint("http://127.0.0.1:1234", "us-ashburn-1", cfg, "DEFAULT"), 5678,
                env::get);
    }

    @Test
    public void everyKeyIsInTheConfigTable() throws Exception {
        String readme = Files.readString(REPO.root().resolve("func-configs/README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-zA-Z_]+)` \\|").matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        for (String key : fill(Map.of()).keySet()) {
            if (!documented.contains(key)) {
                fail(key + " is not in func-configs/README.md");
            }
        }
    }

    @Test
    public void filledConfigIsValidAndPointsAtLocalOci() throws Exception {
        Map<String, String> c = fill(Map.of());
        DataSyncConfig.from(c);
        assertEquals("ocid1.stream.oc1.iad.datasyncstream", c.get("data_stream_ocid"));
        assertEquals("http://127.0.0.1:1234", c.get("stream_messages_endpoint"));
        assertEquals("config_file", c.get("oci_auth"));
        assertEquals("127.0.0.1,::1,localhost", c.get("target_allowlist"));
        assertEquals("true", c.get("allow_http_targets"));
    }

    @Test
    public void theStacksOwnListenersAreDeniedAndTheStateBucketIsLocalOcis() throws Exception {
        Map<String, String> c = fill(Map.of());
        assertEquals(List.of("127.0.0.1:5678", "localhost:5678", "[::1]:5678", "127.0.0.1:1234", "localhost:1234",
                "[::1]:1234"), List.of(c.get("target_denylist").split(",")));
        assertEquals(Topology.STATE_BUCKET, c.get("state_bucket"));
        assertEquals("ns", c.get("object_storage_namespace"));
        // the user's allow-list replaces the default one, never the deny-list
        assertEquals(c.get("target_denylist"), fill(Map.of("DATASYNC_TARGET_ALLOWLIST", "*")).get("target_denylist"));
    }

    @Test
    public void allowlistFromTheEnvironmentReplacesTheDefault() throws Exception {
        Map<String, String> c = fill(Map.of("DATASYNC_TARGET_ALLOWLIST", "orders.example.com"));
        assertEquals("orders.example.com", c.get("target_allowlist"));
    }

    @Test
    public void setButEmptyAllowlistIsEmptyAndRefusesEveryTarget() throws Exception {
        for (String empty : new String[]{"", "  "}) {
            Map<String, String> c = fill(Map.of("DATASYNC_TARGET_ALLOWLIST", empty));
            assertEquals("", c.get("target_allowlist"));
            DataSyncConfig config = DataSyncConfig.from(c);
            assertTrue(config.targets().entries().isEmpty());
            TargetGuard guard = new TargetGuard(config.targets());
            assertFalse(guard.check("http://127.0.0.1:8080/orders").allowed());
            assertFalse(guard.check("http://localhost/orders").allowed());
        }
    }

    @Test
    public void unknownNameIsRefusedWithTheKey() throws Exception {
        Path t = Files.createTempFile("tmpl", ".json");
        Files.writeString(t, "{\"data_stream_ocid\":\"${stream:NoSuchStream}\"}");
        try {
            AppConfigTemplate.fill(t, resources(), new AppConfigTemplate.OciEndpoint("http://x", "r",
                    Path.of("/c"), "DEFAULT"), 5678, k -> null);
            fail();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("data_stream_ocid"));
        }
    }

    @Test
    public void theRedriveScheduleAndMaxAgeComeFromTheEnvironmentAndABadOneNamesItsKey() throws Exception {
        RedriveSettings defaults = DataSyncConfig.from(fill(Map.of())).redrive();
        assertEquals("unset: the function defaults", List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                Duration.ofHours(10)), defaults.schedule());
        assertEquals("ocid1.stream.oc1.iad.deadletterstream", defaults.deadLetterStream());

        RedriveSettings fast = DataSyncConfig.from(fill(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,2s,5s",
                "DATASYNC_REDRIVE_MAX_AGE", "2m"))).redrive();
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)), fast.schedule());
        assertEquals(Duration.ofMinutes(2), fast.maxAge());

        for (Map.Entry<String, String> bad : Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,2x",
                "DATASYNC_REDRIVE_MAX_AGE", "forever").entrySet()) {
            try {
                DataSyncConfig.from(fill(Map.of(bad.getKey(), bad.getValue())));
                fail(bad.toString());
            } catch (ConfigException e) {
                assertEquals(bad.getKey().equals("DATASYNC_REDRIVE_SCHEDULE") ? "redrive_schedule" : "redrive_max_age",
                        e.key());
            }
        }
    }
}
