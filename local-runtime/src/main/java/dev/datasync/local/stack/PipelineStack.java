package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.connector.PositionStore;
import dev.datasync.local.connector.StreamConnector;
import dev.datasync.local.console.ConsoleHandler;
import dev.datasync.local.events.EventsRule;
import dev.datasync.local.events.EventsService;
import dev.datasync.local.events.IngestRuleCondition;
import dev.datasync.local.fnhost.FunctionHost;
import dev.datasync.local.fnhost.FunctionSpec;
import dev.datasync.local.gateway.AdminApi;
import dev.datasync.local.gateway.AdminCredentialGuard;
import dev.datasync.local.gateway.GatewayHealth;
import dev.datasync.local.gateway.GatewayRoute;
import dev.datasync.local.gateway.GatewayServer;
import dev.datasync.local.gateway.SourceCredentialGuard;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.log.LogFanOut;
import dev.datasync.local.log.RotatingLogFile;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.observe.StackView;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.oci.LocalOciProbe;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.local.redrive.RedriveTimer;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.http.HttpServerLimits;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.LogFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole pipeline on one machine, wired as Terraform wires it on OCI: local-oci with the declared streams,
 * vault, buckets and topic; the local identity provider with its sources (their policies in the state bucket); the
 * four functions (real FDK runtime, pools of hot containers) configured from
 * {@code func-configs/local/app-config.json}; the API gateway routes behind their credentials; the Events rule that
 * hands uploads to the ingest bucket to bulk-ingest-fn; the connectors DataSyncStream → read-data-stream-fn and every
 * error stream and the dead-letter stream → Notifications topic and → archive bucket; and the automatic redrive's
 * timer (the retry function in redrive mode).
 */
public final class PipelineStack implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("stack");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackSettings settings;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalOci oci;
    private LocalOciClients clients;
    private GatewayServer gateway;
    private SourceCredentialGuard sourceGuard;
    private LocalOciProbe ociProbe;
    private String adminToken;
    private Optional<String> sourceToken = Optional.empty();
    private List<ErrorStream> errorStreams = List.of();
    private EventsService events;
    private StackLock lock;
    private boolean wroteStackInfo;
    /** This stack's {@code <data dir>/logs/datasync.log} on the log fan-out, until close. */
    private AutoCloseable logFile;

    private PipelineStack(StackSettings settings) {
        this.settings = settings;
    }

    public static PipelineStack start(StackSettings settings, RepoLayout repo) throws Exception {
        HttpServerLimits.apply(); // must precede the JVM's first HttpServer
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
        // every JSON line of the stack (runtime and functions) into <data dir>/logs/, from the first one on
        logFile = LogFanOut.addFile(RotatingLogFile.ofDataDir(dataDir));
        adminToken = AdminToken.resolve(settings.adminToken(), dataDir);
        // the port is taken first: the functions' target_denylist names it
        gateway = PortInUse.explain("DATASYNC_PORT", settings.gatewayPort(),
                () -> GatewayServer.bind(settings.gatewayPort()));

        oci = PortInUse.explain("DATASYNC_OCI_PORT", settings.ociPort(), () -> LocalOci.start(LocalOciConfig.builder()
                .dataDir(dataDir.resolve("oci")).port(settings.ociPort()).declaration(repo.ociDeclaration()).build()));
        started.add(oci);
        Resources res = oci.resources();
        Map<String, String> appConfig = AppConfigTemplate.fill(repo.appConfigTemplate(), res,
                new AppConfigTemplate.OciEndpoint(oci.baseUrl(), res.region(), oci.configFile(), oci.profile()),
                gateway.port(), settings.env());
        PrivateFiles.writeAtomically(dataDir.resolve("app-config.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(appConfig));
        // the functions validate this in @FnConfiguration; checking here makes a bad key stop `up` with its name
        // instead of surfacing as 502s from every container
        DataSyncConfig config = DataSyncConfig.from(appConfig);
        clients = new LocalOciClients(oci.configFile(), oci.profile(), oci.baseUrl());
        started.add(clients);
        LocalIdentityProvider identity = LocalIdentityProvider.open(dataDir);
        sourceToken = StackSources.prepare(identity, new SourcePolicyStore(clients.objectStorage(),
                res.namespace(), Topology.STATE_BUCKET), dataDir, settings.sourceTokenLifetime());

        Map<String, FunctionHost> functions = new LinkedHashMap<>();
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
            WarmUp.run(functions, settings.functionPoolSize());
        }

        // OCI Events: uploads to the ingest bucket invoke bulk-ingest-fn, under the rule Terraform writes
        events = EventsService.start(oci.events(), List.of(new EventsRule(Topology.INGEST_RULE,
                IngestRuleCondition.render(repo.ingestRuleCondition(), Map.of("bucket_name", config.ingest().bucket(),
                        "namespace", res.namespace(), "object_name_pattern", config.ingest().objectNamePattern())),
                functions.get(Topology.INGEST_FN))), settings.functionPoolSize());
        started.add(events);

        StackConnectors connectors = StackConnectors.wire(settings, appConfig, res, clients,
                functions.get(Topology.READ_FN), dataDir.resolve(PositionStore.DIRECTORY));
        errorStreams = connectors.errorStreams();
        for (StreamConnector c : connectors.all()) {
            c.start();
            started.add(c);
        }
        if (settings.redrive()) {
            // what the redrive.pending alarm does on OCI: the retry function in redrive mode, at the schedule's pace
            started.add(RedriveTimer.start(functions.get(Topology.RETRY_FN), config.redrive()));
        }

        ociProbe = new LocalOciProbe(oci.baseUrl(), oci.adminSecret());
        // after StackSources: the verifier starts from the sources.json that includes the default source
        sourceGuard = new SourceCredentialGuard(identity.verifier(), adminToken);
        // trace and status read what the CLI reads: the streams through the SDK, the state bucket, the log files
        StackView view = new StackView(clients, res, config, dataDir);
        AdminApi admin = new AdminApi(() -> view);
        gateway.serve(List.of(
                new GatewayRoute("POST", "/stream/sync", functions.get(Topology.POPULATE_FN), sourceGuard),
                new GatewayRoute("POST", "/stream/retry", functions.get(Topology.RETRY_FN),
                        new AdminCredentialGuard(adminToken)),
                new GatewayRoute("GET", AdminApi.TRACE_ROUTE, admin, new AdminCredentialGuard(adminToken)),
                new GatewayRoute("GET", AdminApi.STATUS_ROUTE, admin, new AdminCredentialGuard(adminToken))),
                settings.maxBodyBytes(), 64, this::health);
        gateway.mount(ConsoleHandler.PREFIX, ConsoleHandler.create(config, clients, res, identity,
                new AdminCredentialGuard(adminToken)));
        writeStackInfo(dataDir);
        ready.set(true);
        LOG.info("stack_ready", "gateway", gateway.baseUrl(), "oci", oci.baseUrl(), "dataDir", dataDir.toString(),
                "startMs", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Ready once everything started, and only while local-oci answers. */
    private GatewayHealth health() {
        if (!ready.get()) {
            return GatewayHealth.STARTING;
        }
        return ociProbe.answers() ? GatewayHealth.READY : new GatewayHealth(false, "local-oci-unavailable");
    }

    private void writeStackInfo(Path dataDir) throws IOException {
        StackInfo.ofThisProcess(gateway.baseUrl(), oci.baseUrl(), oci.configFile(), oci.profile()).write(dataDir);
        wroteStackInfo = true;
    }

    public String gatewayUrl() {
        return gateway.baseUrl();
    }

    public String ociUrl() {
        return oci.baseUrl();
    }

    /** The stack's local-oci (its resources, its event bus). */
    public LocalOci oci() {
        return oci;
    }

    public LocalOciClients clients() {
        return clients;
    }

    public String adminToken() {
        return adminToken;
    }

    /** The default source's credential (as in {@code <data dir>/source-token}), unless {@code local} is revoked. */
    public Optional<String> sourceToken() {
        return sourceToken;
    }

    /**
     * For the benchmark that measures what the source checks cost: while on, {@code /stream/sync} admits every
     * request as {@code sourceId} without verifying a credential or counting the rate. Never used by the stack.
     */
    public void skipSourceChecksAs(String sourceId) {
        sourceGuard.skipChecksAs(sourceId);
    }

    /** OCI Events of the stack: local-oci's object events through the bulk-ingest rule. */
    public EventsService events() {
        return events;
    }

    public List<ErrorStream> errorStreams() {
        return errorStreams;
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
        if (gateway != null) {
            gateway.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stop_failed", "part", started.get(i).getClass().getSimpleName(), LogFields.CODE,
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
        if (logFile != null) {
            try {
                logFile.close();
            } catch (Exception ignored) {
                // nothing left to write
            }
            logFile = null;
        }
    }

    /** Where this stack's log lines are kept: {@code <data dir>/logs/datasync.log} and its rotated files. */
    public Path logFile() {
        return dataDir().resolve(RotatingLogFile.DIRECTORY).resolve(RotatingLogFile.NAME);
    }
}
