package dev.datasync.localoci.streaming;

import dev.datasync.localoci.ServiceContext;

/**
 * What the Streaming data-plane operations ({@link StreamDataApi}, {@link ConsumerGroupApi}) work on: the service
 * context (clock, faults), the streams, their messages, the consumer groups and the cursor codec.
 */
record DataPlane(ServiceContext ctx, StreamRepository streams, MessageLog log, ConsumerGroups groups,
                 CursorCodec cursors) {
}
