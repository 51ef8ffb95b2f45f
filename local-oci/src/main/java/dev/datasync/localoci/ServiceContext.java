package dev.datasync.localoci;

import dev.datasync.localoci.auth.ApiKeyIdentity;
import dev.datasync.localoci.auth.OcidFactory;
import dev.datasync.localoci.events.EventBus;
import dev.datasync.localoci.fault.Faults;
import dev.datasync.localoci.store.Store;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What a service gets at start.
 *
 * @param baseUrl      {@code http://127.0.0.1:PORT}: every service is served from it (e.g. a stream's
 *                     {@code messagesEndpoint}, a topic's {@code apiEndpoint})
 * @param clock        the emulator's clock: use it for every timestamp, expiry and retention decision so
 *                     tests can move time ({@link dev.datasync.localoci.support.AdjustableClock})
 * @param faults       fault rules (the server already applies errorRate/latency before the handler runs;
 *                     handlers use it only for finer faults such as PutMessages' entryErrorRate)
 * @param events       where a service emits the events of OCI Events (e.g. Object Storage's object events)
 */
public record ServiceContext(String baseUrl, Path dataDir, Store store, Clock clock, OcidFactory ocids,
                             ApiKeyIdentity identity, Compartments compartments, Faults faults, EventBus events) {
}
