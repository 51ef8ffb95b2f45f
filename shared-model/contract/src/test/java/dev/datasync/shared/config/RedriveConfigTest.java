package dev.datasync.shared.config;

import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The redrive keys: defaults, accepted values, and every invalid value refused at start naming its key. */
public class RedriveConfigTest {

    @Test
    public void defaultsAreTheContractsSchedule() {
        RedriveSettings r = DataSyncConfig.from(TestConfigs.valid()).redrive();
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), r.schedule());
        assertEquals(Duration.ofHours(24), r.maxAge());
        assertEquals(Set.of(TestConfigs.UNAVAILABLE, TestConfigs.INTERNAL, TestConfigs.DEFAULT), r.streams());
        assertFalse("the unrecoverable stream is never redriven", r.redriven(TestConfigs.UNRECOVERABLE));
        assertEquals("datasync-redrive", r.group());
        assertEquals(TestConfigs.DEAD_LETTER, r.deadLetterStream());
        assertEquals(Optional.of(Duration.ofMinutes(1)), r.slot(0));
        assertEquals(Optional.of(Duration.ofHours(10)), r.slot(6));
        assertEquals("after the last slot there is none", Optional.empty(), r.slot(7));
        assertEquals(Duration.ofMinutes(1), r.shortestSlot());
    }

    @Test
    public void valuesAreReadWithTheirUnitsAndSlotsNeedNotGrow() {
        Map<String, String> m = TestConfigs.valid();
        m.put("redrive_schedule", " 1s, 2s ,5s,90m,2s");
        m.put("redrive_max_age", "3h");
        m.put("redrive_stream_ocids", TestConfigs.UNAVAILABLE + ",ocid1.stream.oc1.iad.extra");
        m.put("redrive_group", "team-a.redrive_1");
        RedriveSettings r = DataSyncConfig.from(m).redrive();
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMinutes(90), Duration.ofSeconds(2)), r.schedule());
        assertEquals(Duration.ofHours(3), r.maxAge());
        assertEquals(Set.of(TestConfigs.UNAVAILABLE, "ocid1.stream.oc1.iad.extra"), r.streams());
        assertEquals("team-a.redrive_1", r.group());
        assertEquals(Duration.ofSeconds(1), r.shortestSlot());
    }

    @Test
    public void invalidRedriveValuesAreRefusedNamingTheKey() {
        String[][] cases = {
                {"redrive_schedule", "1m,5x"},
                {"redrive_schedule", "1m,,5m"},
                {"redrive_schedule", "1m,0s"},
                {"redrive_schedule", "1m,169h"},
                {"redrive_schedule", "-1m"},
                {"redrive_schedule", "1.5m"},
                {"redrive_schedule", "5 m"},
                {"redrive_schedule", "1d"},
                {"redrive_schedule", "1s,".repeat(200) + "1s"},
                {"redrive_max_age", "24"},
                {"redrive_max_age", "0h"},
                {"redrive_max_age", "8d"},
                {"redrive_max_age", "169h"},
                {"redrive_max_age", "30s"}, // shorter than the default first slot (1m)
                {"redrive_stream_ocids", TestConfigs.UNRECOVERABLE},
                {"redrive_stream_ocids", TestConfigs.UNAVAILABLE + "," + TestConfigs.DATA},
                {"redrive_stream_ocids", TestConfigs.DEAD_LETTER},
                {"redrive_stream_ocids", "not-an-ocid"},
                {"redrive_stream_ocids", "ocid1.vault.oc1.iad.v"},
                {"redrive_group", "-starts-with-dash"},
                {"redrive_group", "has space"},
                {"redrive_group", "g".repeat(257)},
                {"dead_letter_stream_ocid", "deadletter"},
                {"dead_letter_stream_ocid", "ocid1.key.oc1.iad.k"},
                {"dead_letter_stream_ocid", TestConfigs.DATA},
                // the default redrive streams include the default error stream: dead-lettering there would loop
                {"dead_letter_stream_ocid", TestConfigs.DEFAULT},
        };
        for (String[] c : cases) {
            expectBadKey(TestConfigs.with(c[0], c[1]), c[0]);
        }
    }

    @Test
    public void theDeadLetterStreamIsRequired() {
        Map<String, String> m = TestConfigs.valid();
        m.remove("dead_letter_stream_ocid");
        expectBadKey(m, "dead_letter_stream_ocid");
    }

    @Test
    public void namesOfTheConfiguredStreamsAreTheContractsNames() {
        DataSyncConfig c = DataSyncConfig.from(TestConfigs.valid());
        assertEquals("ServiceUnavailableErrorStream", c.streamName(TestConfigs.UNAVAILABLE));
        assertEquals("DeadLetterStream", c.streamName(TestConfigs.DEAD_LETTER));
        assertEquals("ocid1.stream.oc1.iad.other", c.streamName("ocid1.stream.oc1.iad.other"));
    }

    private static void expectBadKey(Map<String, String> raw, String key) {
        try {
            DataSyncConfig.from(raw);
            fail("accepted " + key + "=" + raw.get(key));
        } catch (ConfigException e) {
            assertEquals(raw.get(key), key, e.key());
            assertTrue(e.getMessage(), e.getMessage().startsWith(key + ":"));
        }
    }
}
