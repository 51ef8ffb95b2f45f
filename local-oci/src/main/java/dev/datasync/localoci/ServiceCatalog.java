package dev.datasync.localoci;

import dev.datasync.localoci.streaming.StreamingService;

import java.util.List;

/** The services the emulator runs, in start (and declaration) order. Add a service here: one line. */
final class ServiceCatalog {
    private ServiceCatalog() {}

    static List<OciService> create() {
        return List.of(
                new StreamingService()
                // H2: vault, secrets, object storage, notifications are added here
        );
    }
}
