package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import dev.datasync.local.connector.ArchiveSink;
import dev.datasync.local.connector.EqualJitterBackoff;
import dev.datasync.local.connector.BatchPolicy;
import dev.datasync.local.connector.FunctionSink;
import dev.datasync.local.connector.NotificationDigestSink;
import dev.datasync.local.connector.PositionStore;
import dev.datasync.local.connector.StreamConnector;
import dev.datasync.local.fnhost.FunctionHost;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionSpec;
import dev.datasync.local.gateway.GatewayRoute;
import dev.datasync.local.gateway.GatewayServer;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.localoci.Resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole pipeline on one machine, wired as Terraform wires it on OCI: local-oci with the declared streams,
 * vault, bucket and topic; the three functions (real FDK runtime, pools of hot containers) configured from
 * {@code func-configs/local/app-config.json}; the API gateway routes; and the connectors DataSyncStream →
 * read-data-stream-fn and every error stream → Notifications topic and → archive bucket.
 */
public final class PipelineStack implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("stack");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackSettings settings;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, FunctionHost> functions = new LinkedHashMap<>();
    private final List<StreamConnector> connectors = new ArrayList<>();
    private final List<ErrorStream> errorStreams = new ArrayList<>();
    private LocalOci oci;
    private LocalOciClients clients;
    private GatewayServer gateway;
    private Map<String, String> appConfig;
    private String adminToken;
    private StreamConnector dataConnector;
    private StackLock lock;
    private boolean wroteStackInfo;

    private PipelineStack(StackSettings settings) {
        this.settings = settings;
    }

    public static PipelineStack start(StackSettings settings, RepoLayout repo) throws Exception {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // must precede the first HttpServer; without it every local HTTP hop costs ~40 ms (Nagle + delayed ACK)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        PipelineStack stack = new PipelineStack(settings);
        try {
            stack.startAll(repo);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(RepoLayout repo) throws Exception {
        long t0 = System.nanoTime();
        Path dataDir = settings.dataDir().toAbsolutePath();
        DataDir.create(dataDir);
        // first of all: nothing of a second stack may touch a data dir a live one uses
        lock = StackLock.acquire(dataDir);
        adminToken = AdminToken.resolve(settings.adminToken(), dataDir);

        oci = LocalOci.start(LocalOciConfig.builder().dataDir(dataDir.resolve("oci")).port(settings.ociPort())
                .declaration(repo.ociDeclaration()).build());
        started.add(oci);
        Resources res = oci.resources();
        appConfig = AppConfigTemplate.fill(repo.appConfigTemplate(), res,
                new AppConfigTemplate.OciEndpoint(oci.baseUrl(), res.region(), oci.configFile(), oci.profile()),
                settings.env());
        Files.write(dataDir.resolve("app-config.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(appConfig));
        // the functions validate this in @FnConfiguration; checking here makes a bad key stop `up` with its name
        // instead of surfacing as 502s from every container
        dev.datasync.shared.config.DataSyncConfig.from(appConfig);
        clients = new LocalOciClients(oci.configFile(), oci.profile(), oci.baseUrl());
        started.add(clients);

        String appId = "ocid1.fnapp.oc1." + res.region() + ".local" + Integer.toHexString(dataDir.hashCode());
        for (String fn : Topology.FUNCTIONS) {
            FuncYaml yaml = FuncYaml.read(repo.funcYaml(fn));
            FunctionSpec spec = new FunctionSpec(Topology.APPLICATION, appId, yaml.name(),
                    "ocid1.fnfunc.oc1." + res.region() + ".local-" + yaml.name(), yaml.cmd(), appConfig,
                    yaml.timeout(), settings.functionPoolSize(), yaml.memoryMb());
            FunctionHost host = FunctionHost.start(spec);
            started.add(host);
            functions.put(fn, host);
        }
        if (settings.warmUp()) {
            warmUp();
        }

        startConnectors(dataDir.resolve("connectors"), res);

        gateway = GatewayServer.start(settings.gatewayPort(), List.of(
                new GatewayRoute("POST", "/stream/sync", functions.get(Topology.POPULATE_FN), false),
                new GatewayRoute("POST", "/stream/retry", functions.get(Topology.RETRY_FN), true)),
                adminToken, settings.maxBodyBytes(), 64, ready::get);
        started.add(gateway);
        writeStackInfo(dataDir);
        ready.set(true);
        LOG.info("stack_ready", "gateway", gateway.baseUrl(), "oci", oci.baseUrl(), "dataDir", dataDir.toString(),
                "startMs", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Builds every container's function object and SDK clients before the first real request, with calls that
     * write nothing: an empty sync body (answered 400), an empty connector batch, an empty retry request (400).
     * Their log lines are marked {@code "warmUp": true} and the expected rejections logged at INFO
     * ({@link WarmUpLog}), so a start shows no alarming WARN.
     */
    private void warmUp() throws Exception {
        try (AutoCloseable marked = WarmUpLog.install()) {
            warmUpCalls();
        }
    }

    private void warmUpCalls() {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        Map<String, String> bodies = Map.of(Topology.POPULATE_FN, "{}", Topology.READ_FN, "[]",
                Topology.RETRY_FN, "{}");
        for (Map.Entry<String, FunctionHost> e : functions.entrySet()) {
            for (int i = 0; i < settings.functionPoolSize(); i++) {
                FunctionRequest req = warmUpRequest(e.getKey(), bodies.get(e.getKey()));
                calls.add(CompletableFuture.runAsync(() -> {
                    var r = e.getValue().invoke(req);
                    if (!r.succeeded()) {
                        throw new IllegalStateException(e.getKey() + " failed to start (status "
                                + r.platformStatus() + "); see its log lines above");
                    }
                }));
            }
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException re ? re : ex;
        }
    }

    private static FunctionRequest warmUpRequest(String fn, String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        if (!fn.equals(Topology.READ_FN)) {
            h.put("Fn-Intent", List.of("httprequest"));
            h.put("Fn-Http-Method", List.of("POST"));
            h.put("Fn-Http-Request-Url", List.of(fn.equals(Topology.RETRY_FN) ? "/stream/retry" : "/stream/sync"));
            h.put("Fn-Http-H-Content-Type", List.of("application/json"));
        }
        return new FunctionRequest(h, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void startConnectors(Path positionsDir, Resources res) {
        EqualJitterBackoff backoff = new EqualJitterBackoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        String dataStreamId = appConfig.get("data_stream_ocid");
        dataConnector = new StreamConnector("DataSyncStreamToReadDataStream", dataStreamId, clients,
                new FunctionSink(functions.get(Topology.READ_FN)),
                new BatchPolicy(settings.readBatchSizeInNum(), Long.MAX_VALUE, settings.readBatchTime()), backoff,
                new PositionStore(positionsDir.resolve("DataSyncStreamToReadDataStream.json")));
        connectors.add(dataConnector);

        String topicId = res.topics().get(Topology.NOTIFICATION_TOPIC);
        String bucket = Topology.ARCHIVE_BUCKET;
        for (Map.Entry<String, String> e : appConfig.entrySet()) {
            if (!e.getKey().endsWith(Topology.ERROR_STREAM_KEY_SUFFIX)) {
                continue;
            }
            String errorClass = e.getKey().substring(0, e.getKey().length() - Topology.ERROR_STREAM_KEY_SUFFIX.length());
            String streamName = clients.streamAdmin().getStream(GetStreamRequest.builder().streamId(e.getValue())
                    .build()).getStream().getName();
            errorStreams.add(new ErrorStream(errorClass, streamName, e.getValue()));
            if (topicId != null) {
                connectors.add(new StreamConnector(streamName + "ToNotifications", e.getValue(), clients,
                        new NotificationDigestSink(clients.notifications(), topicId),
                        new BatchPolicy(10_000, Long.MAX_VALUE, settings.notificationInterval()), backoff,
                        new PositionStore(positionsDir.resolve(streamName + "ToNotifications.json"))));
            } else {
                LOG.warn("no_notification_topic", "topic", Topology.NOTIFICATION_TOPIC);
            }
            if (res.buckets().containsKey(bucket)) {
                connectors.add(new StreamConnector(streamName + "ToArchive", e.getValue(), clients,
                        new ArchiveSink(clients.objectStorage(), res.namespace(), bucket,
                                Topology.ARCHIVE_PREFIX + "/" + errorClass),
                        new BatchPolicy(10_000, settings.archiveRolloverBytes(), settings.archiveRolloverTime()),
                        backoff, new PositionStore(positionsDir.resolve(streamName + "ToArchive.json"))));
            } else {
                LOG.warn("no_archive_bucket", "bucket", bucket);
            }
        }
        for (StreamConnector c : connectors) {
            c.start();
            started.add(c);
        }
    }

    private void writeStackInfo(Path dataDir) throws IOException {
        StackInfo.ofThisProcess(gateway.baseUrl(), oci.baseUrl(), oci.configFile(), oci.profile()).write(dataDir);
        wroteStackInfo = true;
    }

    public boolean ready() {
        return ready.get();
    }

    public String gatewayUrl() {
        return gateway.baseUrl();
    }

    public String ociUrl() {
        return oci.baseUrl();
    }

    public LocalOci oci() {
        return oci;
    }

    public LocalOciClients clients() {
        return clients;
    }

    public String adminToken() {
        return adminToken;
    }

    public Map<String, String> appConfig() {
        return appConfig;
    }

    public List<ErrorStream> errorStreams() {
        return List.copyOf(errorStreams);
    }

    public StreamConnector dataConnector() {
        return dataConnector;
    }

    public List<StreamConnector> connectors() {
        return List.copyOf(connectors);
    }

    public FunctionHost function(String name) {
        return functions.get(name);
    }

    public Path dataDir() {
        return settings.dataDir().toAbsolutePath();
    }

    /**
     * Clean shutdown, in dependency order: the gateway stops taking requests and answers those in flight; the
     * connectors finish (and commit) the batch they are handing over; then the functions, clients and local-oci.
     */
    @Override
    public void close() {
        ready.set(false);
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stop_failed", "part", started.get(i).getClass().getSimpleName(), "error",
                        e.getClass().getSimpleName());
            }
        }
        started.clear();
        // stack.json only if this stack wrote it (a start refused by the lock must not delete the live one's),
        // and before the lock goes, so a stack starting next never has its fresh stack.json deleted
        if (wroteStackInfo) {
            try {
                Files.deleteIfExists(StackInfo.file(settings.dataDir().toAbsolutePath()));
            } catch (IOException ignored) {
                // best effort; readLive ignores a stack.json whose process is gone
            }
            wroteStackInfo = false;
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the OS releases it with the process anyway
            }
            lock = null;
        }
        LOG.info("stack_stopped");
    }
}
