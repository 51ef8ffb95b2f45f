package dev.datasync.shared.config;

import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import static org.junit.Assert.assertEquals;

public class ErrorRoutingTest {

    @Test
    public void referenceRoutesAreTheDefault() {
        ErrorRouting r = DataSyncConfig.from(TestConfigs.valid()).errorRouting();
        assertEquals(TestConfigs.UNRECOVERABLE, r.streamForStatus(400));
        assertEquals(TestConfigs.INTERNAL, r.streamForStatus(500));
        assertEquals(TestConfigs.UNAVAILABLE, r.streamForStatus(503));
        assertEquals(TestConfigs.DEFAULT, r.streamForStatus(404));
        assertEquals(TestConfigs.DEFAULT, r.streamForStatus(302));
        assertEquals(TestConfigs.DEFAULT, r.streamForStatus(502));
        assertEquals(TestConfigs.UNRECOVERABLE, r.streamFor(FailureKind.INVALID));
        assertEquals(TestConfigs.DEFAULT, r.defaultStream());
    }

    /** Regression (reference): network failures and time-outs went to the unrecoverable stream. */
    @Test
    public void networkAndTimeoutAreRecoverable() {
        ErrorRouting r = DataSyncConfig.from(TestConfigs.valid()).errorRouting();
        assertEquals(TestConfigs.UNAVAILABLE, r.streamFor(FailureKind.NETWORK));
        assertEquals(TestConfigs.UNAVAILABLE, r.streamFor(FailureKind.TIMEOUT));
    }

    @Test
    public void exactBeatsClassBeatsDefault() {
        ErrorRouting r = DataSyncConfig.from(TestConfigs.with("error_routing",
                "404=ocid1.stream.oc1..notfound, 4xx=ocid1.stream.oc1..client,5XX=ocid1.stream.oc1..server,"
                        + "timeout=ocid1.stream.oc1..slow,default=ocid1.stream.oc1..other")).errorRouting();
        assertEquals("ocid1.stream.oc1..notfound", r.streamForStatus(404));
        assertEquals("ocid1.stream.oc1..client", r.streamForStatus(429));
        assertEquals(TestConfigs.UNRECOVERABLE, r.streamForStatus(400)); // exact reference route beats 4xx
        assertEquals("ocid1.stream.oc1..server", r.streamForStatus(502));
        assertEquals(TestConfigs.UNAVAILABLE, r.streamForStatus(503));
        assertEquals("ocid1.stream.oc1..slow", r.streamFor(FailureKind.TIMEOUT));
        assertEquals("ocid1.stream.oc1..other", r.streamForStatus(302));
    }
}
