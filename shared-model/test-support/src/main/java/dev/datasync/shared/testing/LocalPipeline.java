package dev.datasync.shared.testing;

import dev.datasync.shared.testing.TestConfigs;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real local environment for the delivering functions: {@code local-oci} (the project's declaration: data stream,
 * four error streams) plus a {@link ScriptedTarget}; the application configuration pointing at both; and a plain
 * SDK stream client to put and read messages the way an outside observer would. One per test class.
 */
public final class LocalPipeline implements AutoCloseable {

    public static final String DATA = "DataSyncStream";
    public static final String UNRECOVERABLE = "UnrecoverableErrorStream";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailableErrorStream";
    public static final String INTERNAL_SERVER = "InternalServerErrorStream";
    public static final String DEFAULT = "DefaultErrorStream";
    /** Where the automatic redrive puts what it gives up on, and the messages that end with their blocker. */
    public static final String DEAD_LETTER = "DeadLetterStream";

    private final Path dataDir;
    private final LocalOci oci;
    private final ScriptedTarget target;
    private final StreamClient streams;

    private LocalPipeline(Path dataDir, LocalOci oci, ScriptedTarget target, StreamClient streams) {
        this.dataDir = dataDir;
        this.oci = oci;
        this.target = target;
        this.streams = streams;
    }

    public static LocalPipeline start() {
        return start(null);
    }

    /** @param clock the emulator's clock (e.g. local-oci's AdjustableClock to pass retention), null for the system's */
    public static LocalPipeline start(java.time.Clock clock) {
        try {
            Path dir = Files.createTempDirectory("delivery-it");
            LocalOciConfig.Builder b = LocalOciConfig.builder().dataDir(dir).port(0).declaration(projectDeclaration());
            if (clock != null) {
                b.clock(clock);
            }
            LocalOci oci = LocalOci.start(b.build());
            StreamClient streams = StreamClient.builder().endpoint(oci.baseUrl())
                    .build(new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile()));
            return new LocalPipeline(dir, oci, ScriptedTarget.start(), streams);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalOci oci() {
        return oci;
    }

    /** A plain SDK stream client of this environment (built once). */
    public StreamClient streams() {
        return streams;
    }

    public ScriptedTarget target() {
        return target;
    }

    public String stream(String name) {
        String id = oci.resources().streams().get(name);
        if (id == null) {
            throw new IllegalStateException("no stream " + name + " in the declaration");
        }
        return id;
    }

    /** The application configuration (func-configs keys) for this environment. */
    public Map<String, String> config() {
        Map<String, String> c = TestConfigs.forLocalOci(oci);
        c.put("target_allowlist", "127.0.0.1");
        c.put("allow_http_targets", "true");
        c.put("delivery_backoff_base_ms", "20");
        c.put("delivery_backoff_max_ms", "100");
        c.put("delivery_request_timeout_ms", "2000");
        return c;
    }

    /** Appends messages (key may be null) and returns their offsets. */
    public List<Long> put(String streamName, List<String> keys, List<byte[]> values) {
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            PutMessagesDetailsEntry.Builder b = PutMessagesDetailsEntry.builder().value(values.get(i));
            if (keys.get(i) != null) {
                b.key(keys.get(i).getBytes(StandardCharsets.UTF_8));
            }
            entries.add(b.build());
        }
        List<PutMessagesResultEntry> results = streams.putMessages(PutMessagesRequest.builder()
                .streamId(stream(streamName))
                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build())
                .getPutMessagesResult().getEntries();
        List<Long> offsets = new ArrayList<>();
        for (PutMessagesResultEntry r : results) {
            if (r.getError() != null) {
                throw new IllegalStateException("put failed: " + r.getError());
            }
            offsets.add(r.getOffset());
        }
        return offsets;
    }

    /** Every message of partition 0 of a stream, oldest first. */
    public List<Message> readAll(String streamName) {
        return readAll(streamName, "0");
    }

    public List<Message> readAll(String streamName, String partition) {
        String cursor = streams.createCursor(CreateCursorRequest.builder().streamId(stream(streamName))
                .createCursorDetails(CreateCursorDetails.builder().partition(partition)
                        .type(CreateCursorDetails.Type.TrimHorizon).build()).build()).getCursor().getValue();
        List<Message> all = new ArrayList<>();
        while (true) {
            GetMessagesResponse r = streams.getMessages(GetMessagesRequest.builder().streamId(stream(streamName))
                    .cursor(cursor).limit(10_000).build());
            if (r.getItems().isEmpty()) {
                return all;
            }
            all.addAll(r.getItems());
            cursor = r.getOpcNextCursor();
        }
    }

    /** Every message of every error stream, by stream name. */
    public Map<String, List<Message>> errorStreams() {
        Map<String, List<Message>> m = new LinkedHashMap<>();
        for (String s : List.of(UNRECOVERABLE, SERVICE_UNAVAILABLE, INTERNAL_SERVER, DEFAULT)) {
            m.put(s, readAll(s));
        }
        return m;
    }

    public static Path projectDeclaration() {
        return LocalOciRule.projectDeclaration();
    }

    @Override
    public void close() {
        streams.close();
        target.close();
        oci.close();
        TempDirs.deleteQuietly(dataDir);
    }
}
