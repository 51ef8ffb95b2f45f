package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.stack.AdminToken;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.shared.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code ./datasync retry STREAM [--partition P] [--from OFFSET] [--batch N] [--json]} against the running stack:
 * replays every partition of the stream (or only {@code --partition P}) through {@code POST /stream/retry}, showing
 * "n of N" as it goes. Where it starts: {@code --from N} starts AT offset N — the same meaning as
 * {@code messages --from N} — so the first call's {@code readAfterOffset} is N-1; without {@code --from}, after the
 * last offset an earlier {@code retry} replayed in that partition ({@link RetryMarks}), else at the oldest retained
 * message. Messages an earlier replay settled are not sent again; the lines count them ("1 already delivered").
 * Exit 1 when messages failed again.
 */
@Command(name = "retry", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"Replay an error stream through /stream/retry until its end, every partition unless "
                + "--partition; progress as \"n of N\".",
                "Without --from it continues after the last offset an earlier retry replayed (kept in "
                        + "<data dir>/retry-marks.json), else from the oldest message.",
                "Exit 1 when messages failed again (they stay in the stream; the redrive tries them on its "
                        + "schedule)."})
final class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "STREAM", description = "the error stream's name or OCID")
    String stream;

    @Option(names = "--partition", paramLabel = "P", description = "only this partition")
    String partition;

    @Option(names = "--from", paramLabel = "OFFSET",
            description = "start AT this offset (readAfterOffset OFFSET-1) instead of after the last one replayed")
    Long from;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "messages per call, 1-10000 (${DEFAULT-VALUE})")
    long batchOption;

    @Option(names = "--json", description = "no progress lines; one JSON object with the totals per partition")
    boolean json;

    private final CliEnv cli;

    RetryCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> replay(dataDir, cli.out()));
    }

    /** One partition's plan: where it starts, and how many messages are there from that offset on. */
    private record Plan(String partition, long from, boolean resumed, long messages) {
    }

    private int replay(Path dataDir, PrintStream out) throws Exception {
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isEmpty()) {
            throw new CliException("no running stack for data dir " + dataDir + " — start it with ./datasync up");
        }
        if (from != null && from < 0) {
            throw new CliException("--from must be an offset >= 0 (the first message to replay), got " + from);
        }
        int batch = (int) Math.max(1, Math.min(10_000, batchOption));
        Token token = adminToken(cli.env(), dataDir);
        RetryMarks marks = new RetryMarks(dataDir);

        String streamId;
        List<Plan> plans = new ArrayList<>();
        try (OciSession s = OciSession.open(dataDir)) {
            streamId = s.streamId(stream);
            StreamInspector inspector = new StreamInspector(s.clients().streamAdmin(), s.clients().stream());
            List<String> partitions = new ArrayList<>();
            if (partition != null) {
                partitions.add(partition);
            } else {
                for (int p = 0; p < inspector.get(streamId).getPartitions(); p++) {
                    partitions.add(Integer.toString(p));
                }
            }
            for (String p : partitions) {
                OptionalLong last = from == null ? marks.lastReplayed(streamId, p) : OptionalLong.empty();
                long start = from != null ? from : last.isPresent() ? last.getAsLong() + 1 : 0;
                plans.add(new Plan(p, start, last.isPresent(), inspector.countFrom(streamId, p, start)));
            }
        }
        long total = plans.stream().mapToLong(Plan::messages).sum();
        String name = ControlChars.escape(stream);
        if (!json) {
            out.printf("retrying %s: %d message%s in %d partition%s, %d per call%n", name, total,
                    total == 1 ? "" : "s", plans.size(), plans.size() == 1 ? "" : "s", batch);
        }

        RetryDriver driver = new RetryDriver(live.get().gateway(), token.value());
        ArrayNode perPartition = Json.mapper().createArrayNode();
        long[] done = {0};
        int calls = 0;
        long delivered = 0;
        long failed = 0;
        long alreadyDelivered = 0;
        long alreadyMoved = 0;
        for (Plan plan : plans) {
            String p = ControlChars.escape(plan.partition());
            if (!json) {
                out.printf("  partition %s from offset %d%s%n", p, plan.from(), plan.resumed()
                        ? " (after the last one replayed; --from 0 for all)" : "");
            }
            RetryDriver.Totals t;
            try {
                t = driver.replay(streamId, plan.partition(), plan.from() - 1, batch, step -> {
                    done[0] += step.delivered() + step.failed() + step.alreadyDelivered() + step.alreadyMoved();
                    recordQuietly(marks, streamId, plan.partition(), step.lastReadOffset());
                    if (!json) {
                        out.printf("  %d of %d: partition %s up to offset %d: %d delivered, %d failed again%s%s%n",
                                done[0], Math.max(total, done[0]), p, step.lastReadOffset(), step.delivered(),
                                step.failed(), already(step.alreadyDelivered(), step.alreadyMoved()),
                                step.endOfStream() ? " (end of stream)" : "");
                    }
                });
            } catch (RetryDriver.Refused e) {
                if (e.status() == 401) {
                    throw new CliException("the running stack refused the admin token (401, using "
                            + token.source() + "): set DATASYNC_ADMIN_TOKEN to the token the running stack was "
                            + "started with; a stack started without DATASYNC_ADMIN_TOKEN keeps it in "
                            + AdminToken.file(dataDir));
                }
                throw e;
            }
            if (!json) {
                out.printf("  partition %s done: %d calls, %d delivered, %d failed again%s, last offset %d%n",
                        p, t.calls(), t.delivered(), t.failed(), already(t.alreadyDelivered(), t.alreadyMoved()),
                        t.lastReadOffset());
            }
            ObjectNode o = perPartition.addObject();
            o.put("partition", plan.partition());
            o.put("from", plan.from());
            o.put("messages", plan.messages());
            o.put("calls", t.calls());
            o.put("delivered", t.delivered());
            o.put("failed", t.failed());
            o.put("alreadyDelivered", t.alreadyDelivered());
            o.put("alreadyMoved", t.alreadyMoved());
            o.put("lastReadOffset", t.lastReadOffset());
            calls += t.calls();
            delivered += t.delivered();
            failed += t.failed();
            alreadyDelivered += t.alreadyDelivered();
            alreadyMoved += t.alreadyMoved();
        }
        if (json) {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("stream", stream);
            o.put("streamId", streamId);
            o.put("messages", total);
            o.put("replayed", done[0]);
            o.put("calls", calls);
            o.put("delivered", delivered);
            o.put("failed", failed);
            o.put("alreadyDelivered", alreadyDelivered);
            o.put("alreadyMoved", alreadyMoved);
            o.set("partitions", perPartition);
            out.println(ControlChars.json(o));
        } else {
            out.printf("done: %d of %d, %d partition%s, %d calls, %d delivered, %d failed again%s%n", done[0],
                    Math.max(total, done[0]), plans.size(), plans.size() == 1 ? "" : "s", calls, delivered, failed,
                    already(alreadyDelivered, alreadyMoved));
            if (failed > 0) {
                out.printf("%d failed again and stay in %s; the redrive tries them on its schedule, or replay them "
                        + "with --from <offset>%n", failed, name);
            }
        }
        return failed > 0 ? 1 : 0;
    }

    /** The mark is a convenience for the next run: failing to keep it must not fail a replay that worked. */
    private static void recordQuietly(RetryMarks marks, String streamId, String partition, long lastReadOffset) {
        try {
            marks.record(streamId, partition, lastReadOffset);
        } catch (java.io.IOException e) {
            System.err.println("retry: could not keep the last replayed offset: " + e.getMessage()); // to cli.log
        }
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
