package dev.datasync.shared.fn;

import com.fnproject.fn.api.RuntimeContext;
import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.testing.TestConfigs;
import dev.datasync.shared.log.JsonLog;
import org.junit.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The start of every function container: configuration validated once, a bad key logged and thrown by name. */
public class FunctionConfigTest {

    private static RuntimeContext context(Map<String, String> config) {
        return (RuntimeContext) Proxy.newProxyInstance(RuntimeContext.class.getClassLoader(),
                new Class<?>[]{RuntimeContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration")) {
                        return config;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void aValidConfigurationIsReturnedAndNothingLogged() {
        List<String> lines = new CopyOnWriteArrayList<>();
        var config = FunctionConfig.load(context(TestConfigs.valid()), JsonLog.to(lines::add, Clock.systemUTC()));
        assertEquals(TestConfigs.DATA, config.streams().dataStream());
        assertTrue(lines.isEmpty());
    }

    @Test
    public void aBadKeyIsLoggedAsAJsonLineNamingItThenThrown() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try {
            FunctionConfig.load(context(TestConfigs.with("delivery_concurrency", "ten")),
                    JsonLog.to(lines::add, Clock.systemUTC()));
            fail();
        } catch (ConfigException e) {
            assertEquals("delivery_concurrency", e.key());
        }
        assertEquals(1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("\"config.invalid\"")
                && lines.get(0).contains("delivery_concurrency"));
    }

    @Test
    public void anInvalidTargetLimitsEntryStopsTheStartNamingTheKeyAndTheEntry() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try {
            FunctionConfig.load(context(TestConfigs.with("target_limits", "orders.example.com=20/s,billing=fast")),
                    JsonLog.to(lines::add, Clock.systemUTC()));
            fail();
        } catch (ConfigException e) {
            assertEquals("target_limits", e.key());
        }
        assertEquals(1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("\"config.invalid\"")
                && lines.get(0).contains("target_limits: 'billing=fast'"));
    }
}
