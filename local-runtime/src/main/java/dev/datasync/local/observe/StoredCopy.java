package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** One stored copy of a message: the stream it is in, where, when it was appended, and its JSON value. */
record StoredCopy(String streamName, String streamId, String partition, long offset, Instant appendedAt,
                  ObjectNode value) {
}
