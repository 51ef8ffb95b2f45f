package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.stack.AdminToken;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.Resources;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./datasync retry STREAM [--partition P] [--from OFFSET] [--batch N]} against the running stack.
 * {@code --from N} starts AT offset N — the same meaning as {@code messages --from N} — so the first call's
 * {@code readAfterOffset} is N-1 (-1, the oldest retained message, when {@code --from} is absent or 0).
 */
final class RetryCommand {

    private RetryCommand() {
    }

    static int run(List<String> argv, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("partition", "from", "batch"), Set.of());
        if (args.positional().size() != 1) {
            throw new CliException("usage: retry STREAM [--partition P] [--from OFFSET] [--batch N]");
        }
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isEmpty()) {
            throw new CliException("no running stack for data dir " + dataDir + " — start it with ./datasync up");
        }
        String stream = args.positional().get(0);
        String streamId = stream;
        if (!stream.startsWith("ocid1.")) {
            Resources r = new ObjectMapper().readValue(dataDir.resolve("oci/resources.json").toFile(),
                    Resources.class);
            streamId = r.streams().get(stream);
            if (streamId == null) {
                throw new CliException("no stream named " + stream);
            }
        }
        String token = env.get("DATASYNC_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            Path f = AdminToken.file(dataDir);
            if (!Files.isRegularFile(f)) {
                throw new CliException("no admin token: set DATASYNC_ADMIN_TOKEN or start the stack once");
            }
            token = Files.readString(f).trim();
        }
        String partition = args.get("partition", "0");
        long from = args.getLong("from", 0);
        if (from < 0) {
            throw new CliException("--from must be an offset >= 0 (the first message to replay), got " + from);
        }
        int batch = (int) Math.max(1, Math.min(10_000, args.getLong("batch", 100)));
        RetryDriver driver = new RetryDriver(live.get().gateway(), token);
        out.printf("retrying %s partition %s from offset %d, %d per call%n", stream, partition, from, batch);
        RetryDriver.Totals t = driver.replay(streamId, partition, from - 1, batch, step ->
                out.printf("  up to offset %d: %d delivered, %d failed again%s%n", step.lastReadOffset(),
                        step.delivered(), step.failed(), step.endOfStream() ? " (end of stream)" : ""));
        out.printf("done: %d calls, %d delivered, %d failed again, last offset %d%n", t.calls(), t.delivered(),
                t.failed(), t.lastReadOffset());
        return 0;
    }
}
