package dev.datasync.local.identity;

import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.log.LogFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The running gateway's view of {@code sources.json}: re-read when the file changes, so {@code ./datasync sources
 * add} and {@code revoke} take effect in a running stack within about a second. A change is noticed by the file's
 * identity and modification time ({@code sources.json} is replaced by a rename, so a new version is a new file);
 * at most one {@code stat} per {@value #CHECK_INTERVAL_MS} ms, however many requests arrive. A file that cannot be
 * read keeps the last good view (logged), rather than admitting or refusing everyone.
 */
final class LiveSources implements Supplier<Map<String, SourceRecord>> {

    static final long CHECK_INTERVAL_MS = 1_000;
    private static final RuntimeLog LOG = RuntimeLog.of("identity");

    private final SourceRegistry registry;
    private final LongSupplier nanoTime;
    private volatile Snapshot current;

    private record Snapshot(Map<String, SourceRecord> sources, Object fileKey, long modifiedNanos, long checkedAt) {
    }

    LiveSources(SourceRegistry registry, LongSupplier nanoTime) throws IOException {
        this.registry = registry;
        this.nanoTime = nanoTime;
        Stamp stamp = stamp();
        this.current = new Snapshot(registry.read(), stamp.key(), stamp.modified(), nanoTime.getAsLong());
    }

    @Override
    public Map<String, SourceRecord> get() {
        Snapshot s = current;
        long now = nanoTime.getAsLong();
        if (now - s.checkedAt() < CHECK_INTERVAL_MS * 1_000_000) {
            return s.sources();
        }
        synchronized (this) {
            s = current;
            if (now - s.checkedAt() < CHECK_INTERVAL_MS * 1_000_000) {
                return s.sources();
            }
            try {
                Stamp stamp = stamp();
                if (Objects.equals(stamp.key(), s.fileKey()) && stamp.modified() == s.modifiedNanos()) {
                    current = new Snapshot(s.sources(), s.fileKey(), s.modifiedNanos(), now);
                } else {
                    current = new Snapshot(registry.read(), stamp.key(), stamp.modified(), now);
                    LOG.info("sources_reloaded", "sources", current.sources().size());
                }
            } catch (IOException | RuntimeException e) {
                current = new Snapshot(s.sources(), s.fileKey(), s.modifiedNanos(), now);
                LOG.warn("sources_unreadable", LogFields.CODE, e.getClass().getSimpleName());
            }
            return current.sources();
        }
    }

    private record Stamp(Object key, long modified) {
    }

    private Stamp stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(registry.file(), BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            return new Stamp(null, -1);
        }
    }
}
