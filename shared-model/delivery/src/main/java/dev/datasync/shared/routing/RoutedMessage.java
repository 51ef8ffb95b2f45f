package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

/**
 * One message to place in an error stream. {@code key} is the original message key, null when the message had
 * none (so a replay keeps the original partitioning and ordering, and no message gets the key "null");
 * {@code value} the encoded {@link RoutedEnvelope}.
 */
public record RoutedMessage(String stream, String key, byte[] value, String syncId, Source source) {
}
