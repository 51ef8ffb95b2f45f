package dev.datasync.localoci;

import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.http.Router;

/**
 * One emulated OCI service (Streaming, Vault, ...). Listed in {@link ServiceCatalog}. Lifecycle:
 * {@link #start} (create tables with {@code ctx.store().schema(...)}, register routes) → {@link #applyDeclaration}
 * (create what the declaration names and is missing, record names → OCIDs) → serve → {@link #close}.
 */
public interface OciService extends AutoCloseable {

    void start(ServiceContext ctx, Router router);

    /** Idempotent, by name. Compartments are already in {@code resources}. */
    default void applyDeclaration(Declaration declaration, Resources.Builder resources) {
    }

    @Override
    default void close() {
    }
}
