package dev.datasync.localoci.secrets;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.vault.SecretRepository;

/** OCI Secret retrieval (SecretsClient, API 20190301), over the secrets the Vault service stores. */
public final class SecretsService implements OciService {
    @Override
    public void start(ServiceContext ctx, Router router) {
        new SecretRetrievalApi(ctx, new SecretRepository(ctx.store())).register(router);
    }
}
