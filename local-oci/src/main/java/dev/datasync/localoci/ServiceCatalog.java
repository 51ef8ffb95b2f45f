package dev.datasync.localoci;

import dev.datasync.localoci.monitoring.MonitoringService;
import dev.datasync.localoci.notifications.NotificationsService;
import dev.datasync.localoci.objectstorage.ObjectStorageService;
import dev.datasync.localoci.secrets.SecretsService;
import dev.datasync.localoci.streaming.StreamingService;
import dev.datasync.localoci.vault.VaultService;

import java.util.List;

/** The services the emulator runs, in start (and declaration) order. Add a service here: one line. */
final class ServiceCatalog {
    private ServiceCatalog() {}

    static List<OciService> create() {
        return List.of(
                new StreamingService(),
                new VaultService(),
                new SecretsService(),
                new ObjectStorageService(),
                new NotificationsService(),
                new MonitoringService()
        );
    }
}
