package dev.datasync.localoci;

import com.oracle.bmc.model.BmcException;

import java.util.function.Supplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

/** The error an SDK client raises for an emulator answer: status, OCI service code and a request id. */
public final class OciAssertions {
    private OciAssertions() {
    }

    public static void expect(int status, String code, Supplier<?> call) {
        expect(status, code, () -> {
            call.get();
        });
    }

    public static void expect(int status, String code, Runnable call) {
        try {
            call.run();
            fail("expected " + status + " " + code);
        } catch (BmcException e) {
            assertEquals(e.getMessage(), status, e.getStatusCode());
            assertEquals(e.getMessage(), code, e.getServiceCode());
            assertNotNull(e.getOpcRequestId());
        }
    }
}
