package dev.datasync.shared.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The names Terraform and the local stack give the configured streams (func-configs/README.md, "Names shared by
 * Terraform and the local stack"), by OCID: what a metric's {@code stream} dimension says. The functions know the
 * OCIDs only; the names follow from the key each OCID is configured under. A stream no key names (an extra route of
 * {@code error_routing}) is named by its OCID.
 */
public record StreamNames(Map<String, String> byOcid) {

    public static final String DATA_STREAM = "DataSyncStream";
    public static final String UNRECOVERABLE_ERROR_STREAM = "UnrecoverableErrorStream";
    public static final String SERVICE_UNAVAILABLE_ERROR_STREAM = "ServiceUnavailableErrorStream";
    public static final String INTERNAL_SERVER_ERROR_STREAM = "InternalServerErrorStream";
    public static final String DEFAULT_ERROR_STREAM = "DefaultErrorStream";
    public static final String DEAD_LETTER_STREAM = "DeadLetterStream";

    public StreamNames {
        byOcid = Map.copyOf(byOcid);
    }

    static StreamNames of(StreamIds ids, String deadLetter) {
        Map<String, String> m = new HashMap<>();
        m.put(ids.dataStream(), DATA_STREAM);
        m.put(ids.unrecoverable(), UNRECOVERABLE_ERROR_STREAM);
        m.put(ids.serviceUnavailable(), SERVICE_UNAVAILABLE_ERROR_STREAM);
        m.put(ids.internalServer(), INTERNAL_SERVER_ERROR_STREAM);
        m.put(ids.defaultError(), DEFAULT_ERROR_STREAM);
        m.put(deadLetter, DEAD_LETTER_STREAM);
        return new StreamNames(m);
    }

    public String nameOf(String ocid) {
        return byOcid.getOrDefault(ocid, ocid);
    }
}
