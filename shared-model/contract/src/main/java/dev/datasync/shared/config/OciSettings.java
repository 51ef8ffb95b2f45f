package dev.datasync.shared.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how to reach OCI. Vault/Secrets/Object Storage/Monitoring endpoints are either explicit overrides or
 * derived by the SDK from {@code region} (or the resource principal's region when that is unset too).
 */
public record OciSettings(OciAuth auth,
                          Path configFile,
                          String configProfile,
                          Optional<String> region,
                          URI streamMessagesEndpoint,
                          Optional<URI> vaultsEndpoint,
                          Optional<URI> secretsEndpoint,
                          Optional<URI> objectStorageEndpoint,
                          Optional<URI> monitoringEndpoint) {
}
