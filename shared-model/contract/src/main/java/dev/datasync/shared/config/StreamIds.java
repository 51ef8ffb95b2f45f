package dev.datasync.shared.config;

import java.util.Optional;

/** The data stream and the four configured error streams (OCIDs), and the streams' compartment if set. */
public record StreamIds(String dataStream,
                        String unrecoverable,
                        String serviceUnavailable,
                        String internalServer,
                        String defaultError,
                        Optional<String> compartment) {
}
