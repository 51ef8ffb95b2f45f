package dev.datasync.shared.retry;

import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.retry.internal.ErrorMapping;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

public class RetryRequestReaderTest {

    private static final String SU = "ocid1.stream.oc1..su";
    private static final String DF = "ocid1.stream.oc1..default";
    private final RetryRequestReader reader = new RetryRequestReader(Set.of(SU), Set.of(DF));

    private Validated<RetryRequest> read(String json) {
        return reader.read(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void unknownFieldsAreIgnoredBecauseTheContractMayGainOptionalOnes() {
        Validated<RetryRequest> v = read("{'streamOCIDToRetry':'" + SU + "','noOfMessagesToProcess':2,"
                + "'readAfterOffset':7,'readPartition':'0','dryRun':true,'someFutureOption':{'a':[1]},"
                + "'errormapping':[{'responsecode':'404','stream':'" + DF + "','priority':3}]}");
        assertTrue(v.isOk() ? "" : v.error().toString(), v.isOk());
        RetryRequest r = v.value();
        assertEquals(SU, r.streamOCIDToRetry());
        assertEquals(2, r.noOfMessagesToProcess());
        assertEquals(7, r.readAfterOffset());
        assertEquals("0", r.readPartition());
        assertEquals(List.of(new ErrorMapping("404", DF)), r.errormapping());
    }

    @Test
    public void failuresWithoutStatusCanBeMappedByKind() {
        Validated<RetryRequest> v = read("{'streamOCIDToRetry':'" + SU + "','noOfMessagesToProcess':1,"
                + "'readAfterOffset':-1,'readPartition':'0','errormapping':[{'responsecode':'network','stream':'" + DF
                + "'},{'responsecode':'timeout','stream':'" + DF + "'},{'responsecode':'invalid','stream':'" + DF
                + "'}]}");
        assertTrue(v.isOk() ? "" : v.error().toString(), v.isOk());
        assertEquals(3, v.value().errormapping().size());
    }

    @Test
    public void knownFieldsAreStillValidatedNextToUnknownOnes() {
        Validated<RetryRequest> v = read("{'streamOCIDToRetry':'" + SU + "','noOfMessagesToProcess':0,"
                + "'readAfterOffset':7,'readPartition':'0','extra':1}");
        assertFalse(v.isOk());
        assertEquals("noOfMessagesToProcess", v.error().field());
        Validated<RetryRequest> m = read("{'streamOCIDToRetry':'" + SU + "','noOfMessagesToProcess':1,"
                + "'readAfterOffset':7,'readPartition':'0','errormapping':[{'responsecode':'404','extra':1}]}");
        assertFalse(m.isOk());
        assertEquals("errormapping[0].stream", m.error().field());
    }
}
