package dev.datasync.shared.fn;

import com.fnproject.fn.api.RuntimeContext;
import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;

/**
 * The application configuration of a function container, validated once at start (in its {@code @FnConfiguration}
 * method). A bad key is written to the log as {@code config.invalid} naming the key, then thrown, so the FDK fails
 * every invocation with the same message instead of the function failing later on the first message that needs it.
 */
public final class FunctionConfig {

    private FunctionConfig() {
    }

    public static DataSyncConfig load(RuntimeContext ctx, JsonLog log) {
        try {
            return DataSyncConfig.from(ctx.getConfiguration());
        } catch (ConfigException e) {
            log.error("config.invalid").reason(e.getMessage()).write();
            throw e;
        }
    }
}
