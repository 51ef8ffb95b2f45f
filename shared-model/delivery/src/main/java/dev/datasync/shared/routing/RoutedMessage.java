package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.Source;

/**
 * One message to place in an error stream. {@code key} is the original message key (null stays null — the
 * reference wrote the string "null"); {@code value} the encoded {@link RoutedEnvelope}.
 */
public record RoutedMessage(String stream, String key, byte[] value, String syncId, Source source) {
}
