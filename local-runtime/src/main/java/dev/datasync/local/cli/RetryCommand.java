package dev.datasync.local.cli;

import dev.datasync.local.stack.AdminToken;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./datasync retry STREAM [--partition P] [--from OFFSET] [--batch N]} against the running stack: replays
 * every partition of the stream (or only {@code --partition P}) through {@code POST /stream/retry}.
 * {@code --from N} starts AT offset N — the same meaning as {@code messages --from N} — so the first call's
 * {@code readAfterOffset} is N-1 (-1, the oldest retained message, when {@code --from} is absent or 0). Messages an
 * earlier replay settled are not sent again; the lines count them ("1 already delivered", "1 already moved").
 */
final class RetryCommand {

    static final String USAGE = "usage: retry STREAM [--partition P] [--from OFFSET] [--batch N]";

    private RetryCommand() {
    }

    static int run(List<String> argv, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("partition", "from", "batch"), Set.of());
        if (args.positional().size() != 1) {
            throw new CliException(USAGE);
        }
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isEmpty()) {
            throw new CliException("no running stack for data dir " + dataDir + " — start it with ./datasync up");
        }
        long from = args.getLong("from", 0);
        if (from < 0) {
            throw new CliException("--from must be an offset >= 0 (the first message to replay), got " + from);
        }
        int batch = (int) Math.max(1, Math.min(10_000, args.getLong("batch", 100)));
        Token token = adminToken(env, dataDir);
        String stream = args.positional().get(0);

        String streamId;
        List<String> partitions = new ArrayList<>();
        try (OciSession s = OciSession.open(dataDir)) {
            streamId = s.streamId(stream);
            if (args.has("partition")) {
                partitions.add(args.get("partition", "0"));
            } else {
                int count = new StreamInspector(s.clients().streamAdmin(), s.clients().stream()).get(streamId)
                        .getPartitions();
                for (int p = 0; p < count; p++) {
                    partitions.add(Integer.toString(p));
                }
            }
        }

        RetryDriver driver = new RetryDriver(live.get().gateway(), token.value());
        int calls = 0;
        long delivered = 0;
        long failed = 0;
        long alreadyDelivered = 0;
        long alreadyMoved = 0;
        for (String partition : partitions) {
            out.printf("retrying %s partition %s from offset %d, %d per call%n", stream, partition, from, batch);
            RetryDriver.Totals t;
            try {
                t = driver.replay(streamId, partition, from - 1, batch, step ->
                        out.printf("  partition %s up to offset %d: %d delivered, %d failed again%s%s%n", partition,
                                step.lastReadOffset(), step.delivered(), step.failed(),
                                already(step.alreadyDelivered(), step.alreadyMoved()),
                                step.endOfStream() ? " (end of stream)" : ""));
            } catch (RetryDriver.Refused e) {
                if (e.status() == 401) {
                    throw new CliException("the running stack refused the admin token (401, using "
                            + token.source() + "): set DATASYNC_ADMIN_TOKEN to the token the running stack was "
                            + "started with; a stack started without DATASYNC_ADMIN_TOKEN keeps it in "
                            + AdminToken.file(dataDir));
                }
                throw e;
            }
            out.printf("  partition %s done: %d calls, %d delivered, %d failed again%s, last offset %d%n",
                    partition, t.calls(), t.delivered(), t.failed(), already(t.alreadyDelivered(), t.alreadyMoved()),
                    t.lastReadOffset());
            calls += t.calls();
            delivered += t.delivered();
            failed += t.failed();
            alreadyDelivered += t.alreadyDelivered();
            alreadyMoved += t.alreadyMoved();
        }
        out.printf("done: %d partition%s, %d calls, %d delivered, %d failed again%s%n", partitions.size(),
                partitions.size() == 1 ? "" : "s", calls, delivered, failed, already(alreadyDelivered, alreadyMoved));
        return 0;
    }

    /** What earlier replays had settled (not sent again), when there is any: ", 3 already delivered". */
    private static String already(long delivered, long moved) {
        return (delivered > 0 ? ", " + delivered + " already delivered" : "")
                + (moved > 0 ? ", " + moved + " already moved" : "");
    }

    /** The admin token and where it came from (named in the 401 hint, never printed). */
    private record Token(String value, String source) {
    }

    private static Token adminToken(Map<String, String> env, Path dataDir) throws Exception {
        String token = env.get("DATASYNC_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            return new Token(token.trim(), "DATASYNC_ADMIN_TOKEN");
        }
        Path f = AdminToken.file(dataDir);
        if (!Files.isRegularFile(f)) {
            throw new CliException("no admin token: set DATASYNC_ADMIN_TOKEN to the running stack's token, or start "
                    + "the stack once without it so it is generated into " + f);
        }
        PrivateFiles.requireOwnerOnly(f);
        return new Token(Files.readString(f).trim(), f.toString());
    }
}
