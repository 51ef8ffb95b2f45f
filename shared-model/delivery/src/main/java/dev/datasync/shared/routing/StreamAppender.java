package dev.datasync.shared.routing;


import java.util.List;

/**
 * Appends messages to one stream and reports per entry: the i-th element is null when entry i was placed, else why
 * not. Throws when the whole request failed. On OCI: {@code dev.datasync.shared.oci.StreamWriterAppender}.
 */
@FunctionalInterface
public interface StreamAppender {

    List<String> append(String streamOcid, List<RoutedMessage> messages) throws Exception;

}
