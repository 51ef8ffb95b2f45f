package dev.datasync.localoci.notifications;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.declaration.Declaration;
import dev.datasync.localoci.http.Router;

/**
 * OCI Notifications: topics and subscriptions from the declaration; PublishMessage delivers to local sinks
 * (an outbox JSON-lines file, or a webhook on 127.0.0.1).
 */
public final class NotificationsService implements OciService {
    private ServiceContext ctx;
    private TopicRepository topics;
    private DeliveryWorker worker;

    @Override
    public void start(ServiceContext ctx, Router router) {
        this.ctx = ctx;
        this.topics = new TopicRepository(ctx.store());
        this.worker = new DeliveryWorker(topics, ctx.dataDir());
        new NotificationsApi(ctx, topics, worker).register(router);
    }

    @Override
    public void applyDeclaration(Declaration declaration, Resources.Builder resources) {
        long now = ctx.clock().millis();
        for (Declaration.TopicDecl decl : declaration.topics()) {
            String compartmentId = resources.compartmentId(decl.compartment());
            TopicRepository.Topic topic = topics.ensureTopic(decl.name(), compartmentId,
                    () -> ctx.ocids().regional("onstopic"), now);
            for (Declaration.SubscriptionDecl sub : decl.subscriptions()) {
                String protocol = SubscriptionEndpoints.protocol(sub.protocol());
                String endpoint = SubscriptionEndpoints.endpoint(protocol, sub.endpoint(), decl.name(), ctx.dataDir());
                topics.ensureSubscription(topic.id(), protocol, endpoint,
                        () -> ctx.ocids().regional("onssubscription"), now);
            }
            resources.topic(decl.name(), topic.id());
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }
}
