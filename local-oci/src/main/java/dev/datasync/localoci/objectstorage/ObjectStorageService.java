package dev.datasync.localoci.objectstorage;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.http.Router;

/** OCI Object Storage: one namespace (the emulator's), buckets from the declaration, objects through the API. */
public final class ObjectStorageService implements OciService {
    private ServiceContext ctx;
    private ObjectRepository objects;

    @Override
    public void start(ServiceContext ctx, Router router) {
        this.ctx = ctx;
        this.objects = new ObjectRepository(ctx.store());
        new ObjectStorageApi(ctx, objects).register(router);
    }

    @Override
    public void applyDeclaration(Declaration declaration, Resources.Builder resources) {
        for (Declaration.BucketDecl decl : declaration.buckets()) {
            String compartmentId = resources.compartmentId(decl.compartment());
            resources.bucket(decl.name(), objects.ensureBucket(decl.name(), compartmentId,
                    ctx.ocids().regional("bucket"), ctx.clock().millis(),
                    Boolean.TRUE.equals(decl.objectEventsEnabled())).id());
        }
    }
}
