package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.IngestStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.IngestUploads;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.SourceObjects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Bulk ingest against a local pipeline (local-oci with the project's declaration): the registered sources
 * {@value #SOURCE} and {@value #OTHER_SOURCE}, the handler over the real SDK clients, uploads and their events, and
 * what DataSyncStream holds.
 */
final class IngestFixture implements AutoCloseable {

    static final String SOURCE = "orders-app";
    static final String OTHER_SOURCE = "billing";
    static final String TARGET = "http://127.0.0.1:9/orders";

    private final LocalPipeline env;
    private final DataSyncConfig config;
    private final IngestStack stack;
    final IngestUploads uploads;

    IngestFixture(LocalPipeline env, Consumer<Map<String, String>> configure) {
        this.env = env;
        Map<String, String> c = env.config();
        configure.accept(c);
        this.config = DataSyncConfig.from(c);
        this.stack = IngestStack.create(config, JsonLog.to(line -> { }, Clock.systemUTC()));
        SourceObjects.put(env.oci(), SOURCE, SourceObjects.policy(SOURCE, List.of(), null));
        SourceObjects.put(env.oci(), OTHER_SOURCE, SourceObjects.policy(OTHER_SOURCE, List.of(), null));
        this.uploads = IngestUploads.of(env.oci());
    }

    IngestStack stack() {
        return stack;
    }

    IngestHandler handler(Clock clock) {
        return new IngestHandler(config, stack.guard(), stack.writer(), stack.vault(), stack.sources(),
                stack.state(), stack.bucket(), stack.metrics(), JsonLog.to(line -> { }, clock), clock);
    }

    /** What the handler answers to {@code event} with a minute left (the system clock). */
    IngestAnswer deliver(JsonNode event) {
        return handler(Clock.systemUTC()).answer(Json.toBytes(event), Instant.now().plus(Duration.ofMinutes(1)));
    }

    /** Uploads the file and hands its event to the handler. */
    IngestAnswer ingest(String name, byte[] file) {
        uploads.upload(name, file);
        return deliver(uploads.eventFor(name));
    }

    /** Every message of DataSyncStream, both partitions, each partition oldest first. */
    List<Message> dataStream() {
        List<Message> all = new ArrayList<>(env.readAll(LocalPipeline.DATA, "0"));
        all.addAll(env.readAll(LocalPipeline.DATA, "1"));
        return all;
    }

    /** The lines of a result object, parsed. */
    List<JsonNode> results(String name) {
        String text = new String(uploads.read(name).orElseThrow(() -> new AssertionError("no result object " + name)),
                StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(json(line.getBytes(StandardCharsets.UTF_8)));
        }
        return lines;
    }

    static JsonNode json(byte[] bytes) {
        try {
            return Json.parse(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock that moves {@code step} on every reading: a run's deadline passes after a known amount of work. */
    static Clock ticking(Duration step) {
        return new Clock() {
            private final long start = System.currentTimeMillis();
            private long ticks;

            @Override
            public synchronized Instant instant() {
                return Instant.ofEpochMilli(start).plus(step.multipliedBy(ticks++));
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    @Override
    public void close() {
        uploads.close();
        stack.close();
    }
}
