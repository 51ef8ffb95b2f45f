package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.Source;

/**
 * A message as read from a stream, base64 already undone: {@code value} is the message bytes, or null when it could
 * not be decoded — then {@code rawValue} holds what was received and {@code problem} says why. {@code key} is the
 * decoded key or null.
 */
public record InboundMessage(String key, byte[] value, String rawValue, String problem, Source source) {

    public static InboundMessage decoded(String key, byte[] value, Source source) {
        return new InboundMessage(key, value, null, null, source);
    }

    public static InboundMessage undecodable(String key, String rawValue, String problem, Source source) {
        return new InboundMessage(key, null, rawValue, problem, source);
    }
}
