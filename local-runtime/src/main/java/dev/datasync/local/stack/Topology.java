package dev.datasync.local.stack;

import java.util.List;

/**
 * The resource names of {@code func-configs/README.md} ("Names shared by Terraform and the local stack") that the
 * platform side needs, and the function folders whose func.yaml it reads. The one place in Java that spells them;
 * {@code TopologyTest} checks they agree with that README table, with {@code func-configs/local/oci-declaration.json}
 * (which declares the resources) and with Terraform's archive prefix default, so a rename cannot drift silently.
 */
public final class Topology {

    public static final String APPLICATION = "DataSyncApplication";
    public static final String DATA_STREAM = "DataSyncStream";
    public static final String UNRECOVERABLE_ERROR_STREAM = "UnrecoverableErrorStream";
    public static final String SERVICE_UNAVAILABLE_ERROR_STREAM = "ServiceUnavailableErrorStream";
    public static final String INTERNAL_SERVER_ERROR_STREAM = "InternalServerErrorStream";
    public static final String DEFAULT_ERROR_STREAM = "DefaultErrorStream";
    public static final List<String> ERROR_STREAMS = List.of(UNRECOVERABLE_ERROR_STREAM,
            SERVICE_UNAVAILABLE_ERROR_STREAM, INTERNAL_SERVER_ERROR_STREAM, DEFAULT_ERROR_STREAM);
    /** Where the automatic redrive puts the messages it gives up on; archived and notified like the error streams. */
    public static final String DEAD_LETTER_STREAM = "DeadLetterStream";
    /** The dead-letter stream's class: its archive folder, as Terraform names it among the failure streams. */
    public static final String DEAD_LETTER_CLASS = "deadLetter";
    public static final String ARCHIVE_BUCKET = "datasync-error-archive";
    public static final String NOTIFICATION_TOPIC = "datasync-error-notifications";
    /** The state bucket: the source registry, {@code sources/<id>.json} (the functions' {@code state_bucket}). */
    public static final String STATE_BUCKET = "datasync-state";
    /** The bucket sources upload bulk files to (the functions' {@code ingest_bucket}); it emits object events. */
    public static final String INGEST_BUCKET = "datasync-ingest";
    /** Terraform's {@code archive_object_name_prefix} default; the error class is appended. */
    public static final String ARCHIVE_PREFIX = "error-archive";

    public static final String POPULATE_FN = "populate-data-stream-fn";
    public static final String READ_FN = "read-data-stream-fn";
    public static final String RETRY_FN = "retry-fn";
    public static final String INGEST_FN = "bulk-ingest-fn";
    /** The Events rule that invokes {@link #INGEST_FN} for uploads to {@link #INGEST_BUCKET}. */
    public static final String INGEST_RULE = "DataSyncIngestObjects";
    public static final List<String> FUNCTIONS = List.of(POPULATE_FN, READ_FN, RETRY_FN, INGEST_FN);

    /** Config keys {@code <class>_error_stream_ocid} name the error streams; the class names the archive folder. */
    public static final String ERROR_STREAM_KEY_SUFFIX = "_error_stream_ocid";
    /** The config key naming the dead-letter stream. */
    public static final String DEAD_LETTER_STREAM_KEY = "dead_letter_stream_ocid";

    private Topology() {
    }
}
