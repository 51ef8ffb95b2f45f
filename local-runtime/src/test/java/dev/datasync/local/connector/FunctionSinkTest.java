package dev.datasync.local.connector;

import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.fnhost.FunctionHost;
import dev.datasync.local.fnhost.FunctionSpec;
import dev.datasync.testfns.OverrunningFunction;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * A batch whose function call timed out is failed (and so redelivered) only once the timed-out call has really
 * ended: the function's thread cannot be killed, and a redelivery running beside it would break per-key order.
 */
public class FunctionSinkTest {

    private static int property(String name) {
        Object v = System.getProperties().get(name);
        return v == null ? 0 : (Integer) v;
    }

    @Test
    public void aTimedOutBatchFailsOnlyAfterItsCallEndedSoRedeliveriesNeverOverlap() throws Exception {
        System.getProperties().remove(OverrunningFunction.RUNNING);
        System.getProperties().remove(OverrunningFunction.MAX_RUNNING);
        System.getProperties().remove(OverrunningFunction.ENDED);
        FunctionSpec spec = new FunctionSpec("App", "ocid1.fnapp.oc1..a", "overrunning", "ocid1.fnfunc.oc1..o",
                "dev.datasync.testfns.OverrunningFunction::handleRequest", Map.of("overrun_ms", "1200"),
                Duration.ofMillis(300), 2, 128);
        List<Message> batch = List.of(Message.builder().stream("S").partition("0").offset(7L)
                .key("k".getBytes(StandardCharsets.UTF_8)).value("{}".getBytes(StandardCharsets.UTF_8))
                .timestamp(new Date()).build());
        try (FunctionHost host = FunctionHost.start(spec)) {
            FunctionSink sink = new FunctionSink(host);
            for (int attempt = 1; attempt <= 2; attempt++) { // the connector's first delivery and its redelivery
                try {
                    sink.deliver("S", "0", batch);
                    fail("a timed-out call must fail the batch");
                } catch (IllegalStateException expected) {
                    assertTrue(expected.getMessage(), expected.getMessage().contains("504"));
                }
                assertEquals("the timed-out call has ended when the batch fails", 0,
                        property(OverrunningFunction.RUNNING));
                assertEquals(attempt, property(OverrunningFunction.ENDED));
            }
            assertEquals("the two attempts never ran side by side", 1, property(OverrunningFunction.MAX_RUNNING));
        }
    }
}
