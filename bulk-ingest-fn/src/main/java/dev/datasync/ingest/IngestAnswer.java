package dev.datasync.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an invocation did, as the function's response and its last log line (OCI Events reads no response; a person
 * invoking the function by hand does). {@code outcome}: {@code done} (the file is ingested: result object written,
 * file moved), {@code continued} (a checkpoint, and a continuation marker for the next invocation), {@code refused}
 * (the file as a whole: its result object says why), {@code alreadyDone}, {@code busy} (another invocation holds
 * it), {@code gone} (no such object, or not that version any more), {@code retryLater} (Object Storage, Vault or
 * Streaming failed: nothing is lost, it resumes from its checkpoint), {@code ignored} (not an event for this
 * function).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IngestAnswer(String outcome, String object, Long nextLine, Long written, Long refused, String reason) {

    static IngestAnswer ignored(String reason) {
        return new IngestAnswer("ignored", null, null, null, null, reason);
    }

    static IngestAnswer of(String outcome, String object, String reason) {
        return new IngestAnswer(outcome, object, null, null, null, reason);
    }

    static IngestAnswer of(String outcome, IngestState s) {
        return new IngestAnswer(outcome, s.object(), s.nextLine(), s.accepted(), s.rejected(),
                s.fileError() == null ? null : s.fileError().code());
    }
}
