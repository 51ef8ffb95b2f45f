package dev.datasync.local.stack;

import com.oracle.bmc.streaming.requests.GetStreamRequest;
import dev.datasync.local.connector.ArchiveSink;
import dev.datasync.local.connector.BatchPolicy;
import dev.datasync.local.connector.EqualJitterBackoff;
import dev.datasync.local.connector.FunctionSink;
import dev.datasync.local.connector.NotificationDigestSink;
import dev.datasync.local.connector.PositionStore;
import dev.datasync.local.connector.StreamConnector;
import dev.datasync.local.fnhost.FunctionInvoker;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.localoci.Resources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The stack's Service Connector Hub connectors, named and configured as Terraform declares them: DataSyncStream →
 * read-data-stream-fn, and every error stream of the configuration and the dead-letter stream → the Notifications
 * topic (digests) and → the archive bucket. Built, not started.
 */
record StackConnectors(List<StreamConnector> all, List<ErrorStream> errorStreams) {

    private static final RuntimeLog LOG = RuntimeLog.of("stack");

    StackConnectors {
        all = List.copyOf(all);
        errorStreams = List.copyOf(errorStreams);
    }

    /** @param positionsDir where each connector keeps its committed positions ({@code <name>.json}) */
    static StackConnectors wire(StackSettings settings, Map<String, String> appConfig, Resources res,
                                LocalOciClients clients, FunctionInvoker readFunction, Path positionsDir) {
        EqualJitterBackoff backoff = new EqualJitterBackoff(Duration.ofMillis(250), Duration.ofSeconds(10));
        List<StreamConnector> all = new ArrayList<>();
        List<ErrorStream> errorStreams = new ArrayList<>();
        all.add(new StreamConnector(ConnectorNames.DATA_STREAM_TO_READ, appConfig.get("data_stream_ocid"), clients,
                new FunctionSink(readFunction),
                new BatchPolicy(settings.readBatchSizeInNum(), Long.MAX_VALUE, settings.readBatchTime()), backoff,
                new PositionStore(positionsDir.resolve(ConnectorNames.DATA_STREAM_TO_READ + ".json"))));

        String topicId = res.topics().get(Topology.NOTIFICATION_TOPIC);
        String bucket = Topology.ARCHIVE_BUCKET;
        for (Map.Entry<String, String> e : failureStreams(appConfig).entrySet()) {
            String errorClass = e.getKey();
            String streamName = clients.streamAdmin().getStream(GetStreamRequest.builder().streamId(e.getValue())
                    .build()).getStream().getName();
            errorStreams.add(new ErrorStream(errorClass, streamName, e.getValue()));
            if (topicId != null) {
                all.add(new StreamConnector(ConnectorNames.toNotifications(streamName), e.getValue(), clients,
                        new NotificationDigestSink(clients.notifications(), topicId),
                        new BatchPolicy(10_000, Long.MAX_VALUE, settings.notificationInterval()), backoff,
                        new PositionStore(positionsDir.resolve(ConnectorNames.toNotifications(streamName) + ".json"))));
            } else {
                LOG.warn("no_notification_topic", "topic", Topology.NOTIFICATION_TOPIC);
            }
            if (res.buckets().containsKey(bucket)) {
                all.add(new StreamConnector(ConnectorNames.toArchive(streamName), e.getValue(), clients,
                        new ArchiveSink(clients.objectStorage(), res.namespace(), bucket,
                                Topology.ARCHIVE_PREFIX + "/" + errorClass),
                        new BatchPolicy(10_000, settings.archiveRolloverBytes(), settings.archiveRolloverTime()),
                        backoff, new PositionStore(positionsDir.resolve(ConnectorNames.toArchive(streamName) + ".json"))));
            } else {
                LOG.warn("no_archive_bucket", "bucket", bucket);
            }
        }
        return new StackConnectors(all, errorStreams);
    }

    /**
     * Every stream a failed message can end in, by class: the error streams ({@code <class>_error_stream_ocid}, in
     * the configuration's order), then the dead-letter stream ({@code dead_letter_stream_ocid}, class
     * {@code deadLetter}).
     */
    static Map<String, String> failureStreams(Map<String, String> appConfig) {
        Map<String, String> out = new LinkedHashMap<>();
        appConfig.forEach((key, ocid) -> {
            if (key.endsWith(Topology.ERROR_STREAM_KEY_SUFFIX)) {
                out.put(key.substring(0, key.length() - Topology.ERROR_STREAM_KEY_SUFFIX.length()), ocid);
            }
        });
        String deadLetter = appConfig.get(Topology.DEAD_LETTER_STREAM_KEY);
        if (deadLetter != null) {
            out.put(Topology.DEAD_LETTER_CLASS, deadLetter);
        }
        return out;
    }
}
