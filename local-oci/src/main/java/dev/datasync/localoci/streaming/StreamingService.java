package dev.datasync.localoci.streaming;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.store.Store;
import dev.datasync.localoci.support.JsonLog;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** OCI Streaming (API 20180418): control plane, data plane, consumer groups and retention trimming. */
public final class StreamingService implements OciService {
    /** How often expired messages are deleted (reads hide them immediately anyway). */
    static final long TRIM_INTERVAL_SECONDS = 60;

    private ServiceContext ctx;
    private StreamRepository streams;
    private MessageLog log;
    private StreamAdminApi admin;
    private ScheduledExecutorService trimmer;

    @Override
    public void start(ServiceContext ctx, Router router) {
        this.ctx = ctx;
        this.streams = new StreamRepository(ctx.store());
        this.log = new MessageLog(ctx.store());
        ConsumerGroups groups = new ConsumerGroups(ctx.store());
        CursorCodec cursors = new CursorCodec(cursorKey(ctx.store()));
        this.admin = new StreamAdminApi(ctx, streams);
        admin.register(router);
        DataPlane plane = new DataPlane(ctx, streams, log, groups, cursors);
        ConsumerGroupApi groupApi = new ConsumerGroupApi(plane);
        new StreamDataApi(plane, groupApi).register(router);
        groupApi.register(router);
        this.trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-oci-stream-trimmer");
            t.setDaemon(true);
            return t;
        });
        trimmer.scheduleWithFixedDelay(this::trimAll, TRIM_INTERVAL_SECONDS, TRIM_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void applyDeclaration(Declaration declaration, Resources.Builder resources) {
        long now = ctx.clock().millis();
        for (Declaration.StreamPoolDecl pool : declaration.streamPools()) {
            String compartmentId = resources.compartmentId(pool.compartment());
            resources.streamPool(pool.name(),
                    streams.ensurePool(pool.name(), compartmentId, ctx.ocids().regional("streampool"), now).id());
        }
        for (Declaration.StreamDecl decl : declaration.streams()) {
            String compartmentId = resources.compartmentId(decl.compartment());
            String poolId = decl.streamPool() == null ? null : resources.streamPoolId(decl.streamPool());
            if (decl.streamPool() != null && poolId == null) {
                throw new IllegalArgumentException("stream " + decl.name() + " names undeclared pool " + decl.streamPool());
            }
            StreamRepository.Pool pool = poolId != null ? streams.findPool(poolId)
                    : streams.ensurePool(StreamAdminApi.DEFAULT_POOL, compartmentId,
                    ctx.ocids().regional("streampool"), now);
            StreamRecord existing = streams.findActiveByName(pool.id(), decl.name());
            if (existing == null) {
                existing = admin.create(decl.name(), compartmentId, pool.id(),
                        decl.partitions() == null ? 1 : decl.partitions(), decl.retentionInHours(), null, null);
            } else if (decl.partitions() != null && decl.partitions() != existing.partitions()) {
                JsonLog.warn("declaration-mismatch", JsonLog.STREAM, decl.name(),
                        "declaredPartitions", decl.partitions(), "existingPartitions", existing.partitions());
            }
            resources.stream(decl.name(), existing.id());
        }
    }

    private void trimAll() {
        try {
            long now = ctx.clock().millis();
            for (StreamRecord stream : streams.all()) {
                if (stream.active()) {
                    log.trim(stream, now);
                }
            }
        } catch (RuntimeException e) {
            JsonLog.warn("stream-trim-failed", JsonLog.REASON, e.getMessage());
        }
    }

    /** The HMAC key for cursors, generated once and kept so cursors outlive a restart. */
    private static byte[] cursorKey(Store store) {
        store.schema("CREATE TABLE IF NOT EXISTS streaming_meta (k TEXT PRIMARY KEY, v BLOB NOT NULL)");
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT v FROM streaming_meta WHERE k = 'cursor-key'");
                 ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return rs.getBytes(1);
                }
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO streaming_meta(k, v) VALUES ('cursor-key', ?)")) {
                insert.setBytes(1, key);
                insert.executeUpdate();
            }
            return key;
        });
    }

    @Override
    public void close() {
        if (trimmer != null) {
            trimmer.shutdownNow();
        }
    }
}
