package dev.datasync.shared.config;

import java.util.Optional;

/** The data stream and the reference's four error streams (OCIDs). */
public record StreamIds(String dataStream,
                        String unrecoverable,
                        String serviceUnavailable,
                        String internalServer,
                        String defaultError,
                        Optional<String> compartment) {
}
