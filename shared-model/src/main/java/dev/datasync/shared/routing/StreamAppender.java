package dev.datasync.shared.routing;

import java.util.List;

/**
 * Appends messages to one stream and reports per entry: the i-th element is null when entry i was placed, else the
 * service's error code/message for it. Throws when the whole request failed.
 */
@FunctionalInterface
public interface StreamAppender {

    List<String> append(String streamOcid, List<RoutedMessage> messages) throws Exception;
}
