package dev.datasync.localoci.vault;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.http.Router;

/**
 * OCI Vault secret management (API 20180608). Vaults and master keys come from the declaration (KMS itself is
 * not emulated); secrets are created and managed through the API.
 */
public final class VaultService implements OciService {
    private ServiceContext ctx;
    private VaultRepository vaults;

    @Override
    public void start(ServiceContext ctx, Router router) {
        this.ctx = ctx;
        this.vaults = new VaultRepository(ctx.store());
        new SecretManagementApi(ctx, vaults, new SecretRepository(ctx.store())).register(router);
    }

    @Override
    public void applyDeclaration(Declaration declaration, Resources.Builder resources) {
        long now = ctx.clock().millis();
        for (Declaration.VaultDecl decl : declaration.vaults()) {
            String compartmentId = resources.compartmentId(decl.compartment());
            VaultRepository.VaultRecord vault = vaults.ensureVault(decl.name(), compartmentId,
                    () -> ctx.ocids().regional("vault"), now);
            resources.vault(decl.name(), vault.id());
            for (Declaration.KeyDecl key : decl.keys()) {
                String algorithm = key.algorithm() == null ? "AES" : key.algorithm();
                resources.key(key.name(),
                        vaults.ensureKey(vault.id(), key.name(), algorithm, () -> ctx.ocids().regional("key"), now).id());
            }
        }
    }
}
