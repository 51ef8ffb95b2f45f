package dev.datasync.localoci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.datasync.localoci.auth.AdminSecret;
import dev.datasync.localoci.auth.ApiKeyIdentity;
import dev.datasync.localoci.auth.OcidFactory;
import dev.datasync.localoci.auth.SignatureVerifier;
import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.events.EventBus;
import dev.datasync.localoci.fault.Faults;
import dev.datasync.localoci.http.AdminHandler;
import dev.datasync.localoci.http.OciHttpServer;
import dev.datasync.localoci.http.RetryTokens;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.store.DataDirLock;
import dev.datasync.localoci.store.Store;
import dev.datasync.localoci.support.JsonLog;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emulator, started in-process: {@code LocalOci.start(config)} … {@code close()}.
 * Every service is served from {@link #baseUrl()}; clients authenticate with the config file it writes
 * ({@link #configFile()}, profile {@link #profile()}), exactly as against OCI.
 */
public final class LocalOci implements AutoCloseable {
    private final LocalOciConfig config;
    private final DataDirLock lock;
    private final ApiKeyIdentity identity;
    private final AdminSecret adminSecret;
    private final Store store;
    private final Faults faults;
    private final OciHttpServer server;
    private final List<OciService> services;
    private final EventBus events = new EventBus();
    private final String baseUrl;
    private volatile Resources resources;

    private LocalOci(LocalOciConfig config) throws IOException {
        this.config = config;
        Path dataDir = config.dataDir().toAbsolutePath();
        PrivateFiles.createDirectories(dataDir);
        // Before anything in the directory is touched: a second emulator must not even rewrite the config file.
        this.lock = DataDirLock.acquire(dataDir);
        OcidFactory ocids = new OcidFactory(regionKey(config.region()));
        try {
            this.identity = ApiKeyIdentity.loadOrCreate(dataDir, config.region(), ocids);
            this.adminSecret = AdminSecret.create(dataDir);
            this.store = new Store(dataDir, config.durableFsync(), 4);
        } catch (java.sql.SQLException e) {
            lock.close();
            throw new IOException("cannot open the store in " + dataDir, e);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        this.faults = new Faults(config.faults());
        Router router = new Router();
        SignatureVerifier verifier = new SignatureVerifier(Map.of(identity.keyId(), identity.publicKey()));
        try {
            this.server = new OciHttpServer(config.port(), config.threads(), router, verifier, faults,
                    new AdminHandler(() -> resources, faults, adminSecret), new RetryTokens(store, config.clock()));
        } catch (IOException | RuntimeException e) {
            store.close();
            lock.close();
            throw e;
        }
        this.baseUrl = "http://127.0.0.1:" + server.port();
        this.services = new ArrayList<>();
        try {
            Compartments compartments = new Compartments(store, ocids, identity.tenancyId());
            ServiceContext ctx = new ServiceContext(baseUrl, dataDir, store, config.clock(), ocids, identity,
                    compartments, faults, events);
            for (OciService service : ServiceCatalog.create()) {
                service.start(ctx, router);
                services.add(service);
            }
            Declaration declaration = config.declaration() == null
                    ? Declaration.empty() : Declaration.read(config.declaration());
            Resources.Builder builder = new Resources.Builder(identity.tenancyId(), identity.userId(), config.region())
                    .namespace(identity.namespace());
            for (Declaration.CompartmentDecl compartment : declaration.compartments()) {
                builder.compartment(compartment.name(), compartments.ensure(compartment.name()));
            }
            for (OciService service : services) {
                service.applyDeclaration(declaration, builder);
            }
            this.resources = builder.build();
            PrivateFiles.writeAtomically(dataDir.resolve("resources.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(resources));
            server.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        JsonLog.info("local-oci-started", "baseUrl", baseUrl, "dataDir", dataDir.toString());
    }

    public static LocalOci start(LocalOciConfig config) throws IOException {
        return new LocalOci(config);
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint for every client. */
    public String baseUrl() { return baseUrl; }

    /** The OCI config file written into the data directory. */
    public Path configFile() { return identity.configFile(); }

    public String profile() { return ApiKeyIdentity.PROFILE; }

    public Resources resources() { return resources; }

    /** The secret {@code /_admin/*} requires in {@link AdminSecret#HEADER}, drawn anew at every start. */
    public String adminSecret() { return adminSecret.value(); }

    /** {@code <dataDir>/admin-secret}: where another process of the same user finds {@link #adminSecret()}. */
    public Path adminSecretFile() { return adminSecret.file(); }

    /**
     * The events the services emit in OCI's CloudEvents envelope (object events of buckets with
     * {@code objectEventsEnabled}); subscribe to play OCI Events' rules.
     */
    public EventBus events() { return events; }

    /** Fault rules, changeable at run time (same as {@code PUT /_admin/faults}). */
    public Faults faults() { return faults; }

    public Path dataDir() { return config.dataDir().toAbsolutePath(); }

    /** OCI region key used in regional OCIDs (us-ashburn-1 → iad); unknown regions → "local". */
    static String regionKey(String region) {
        return switch (region) {
            case "us-ashburn-1" -> "iad";
            case "us-phoenix-1" -> "phx";
            case "eu-frankfurt-1" -> "fra";
            case "uk-london-1" -> "lhr";
            default -> "local";
        };
    }

    @Override
    public void close() {
        closeQuietly();
        JsonLog.info("local-oci-stopped", "baseUrl", baseUrl);
    }

    private void closeQuietly() {
        server.close();
        events.close();
        for (OciService service : services) {
            try {
                service.close();
            } catch (RuntimeException e) {
                JsonLog.warn("service-close-failed", JsonLog.REASON, e.getMessage());
            }
        }
        store.close();
        lock.close();
    }
}
