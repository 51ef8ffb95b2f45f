package dev.datasync.localoci;

import dev.datasync.localoci.fault.FaultRule;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the emulator.
 *
 * @param dataDir      all state lives here (created if missing); re-used on restart
 * @param port         0 = an ephemeral port
 * @param declaration  JSON declaration file applied at start, or null
 * @param faults       initial fault rules by operation name
 * @param clock        clock for timestamps/expiry (tests pass an {@link dev.datasync.localoci.support.AdjustableClock})
 * @param threads      requests worked on at once (each connection is read on its own thread: see
 *                     {@link dev.datasync.localoci.http.HttpServerLimits})
 * @param durableFsync fsync every commit (survives power loss, slower); default off: commits survive kill -9
 * @param region       region written to the config file
 */
public record LocalOciConfig(Path dataDir, int port, Path declaration, Map<String, FaultRule> faults, Clock clock,
                             int threads, boolean durableFsync, String region) {

    public LocalOciConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        faults = faults == null ? Map.of() : Map.copyOf(faults);
        clock = clock == null ? Clock.systemUTC() : clock;
        region = region == null ? "us-ashburn-1" : region;
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path dataDir;
        private int port;
        private Path declaration;
        private Map<String, FaultRule> faults = Map.of();
        private Clock clock;
        private int threads = 16;
        private boolean durableFsync;
        private String region;

        public Builder dataDir(Path value) { this.dataDir = value; return this; }
        public Builder port(int value) { this.port = value; return this; }
        public Builder declaration(Path value) { this.declaration = value; return this; }
        public Builder faults(Map<String, FaultRule> value) { this.faults = value; return this; }
        public Builder clock(Clock value) { this.clock = value; return this; }
        public Builder threads(int value) { this.threads = value; return this; }
        public Builder durableFsync(boolean value) { this.durableFsync = value; return this; }
        public Builder region(String value) { this.region = value; return this; }

        public LocalOciConfig build() {
            return new LocalOciConfig(dataDir, port, declaration, faults, clock, threads, durableFsync, region);
        }
    }
}
