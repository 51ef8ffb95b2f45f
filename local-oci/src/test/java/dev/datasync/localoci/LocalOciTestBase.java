package dev.datasync.localoci;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import dev.datasync.localoci.support.AdjustableClock;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;

import java.nio.file.Path;

/**
 * One emulator per test class (started once: keeps the suite fast) by {@link EmulatorRule}: a fresh temp data
 * directory, the project's declaration and an adjustable clock. Clients are built the way a user builds them, with
 * {@link #provider}. Fault rules are cleared before each test.
 */
public abstract class LocalOciTestBase {
    @ClassRule
    public static final EmulatorRule EMULATOR = new EmulatorRule();

    protected static AdjustableClock clock;
    protected static LocalOci oci;
    protected static Path dataDir;
    protected static ConfigFileAuthenticationDetailsProvider provider;

    @BeforeClass
    public static void bindEmulator() {
        clock = EMULATOR.clock();
        oci = EMULATOR.oci();
        dataDir = EMULATOR.dataDir();
        provider = EmulatorRule.provider(oci);
    }

    @Before
    public void clearFaults() {
        oci.faults().clear();
    }
}
