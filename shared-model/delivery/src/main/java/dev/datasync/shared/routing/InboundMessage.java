package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.Source;

/**
 * A message as read from a stream, base64 already undone: {@code value} is the message bytes, or null when it could
 * not be decoded — then {@code rawValue} holds what was received and {@code problem} says why. {@code key} is the
 * decoded key or null. {@code firstDelivery}: read from DataSyncStream, so it has had no delivery and carries no
 * error-stream envelope; envelope fields found in it are not the pipeline's and are ignored.
 */
public record InboundMessage(String key, byte[] value, String rawValue, String problem, Source source,
                             boolean firstDelivery) {

    /** A message read from DataSyncStream, as PopulateDataStream accepted it. */
    public static InboundMessage accepted(String key, byte[] value, Source source) {
        return new InboundMessage(key, value, null, null, source, true);
    }

    /** A message read from an error stream: an envelope the pipeline wrote. */
    public static InboundMessage decoded(String key, byte[] value, Source source) {
        return new InboundMessage(key, value, null, null, source, false);
    }

    public static InboundMessage undecodable(String key, String rawValue, String problem, Source source) {
        return new InboundMessage(key, null, rawValue, problem, source, false);
    }
}
