package dev.datasync.shared.replay;

/** How a replay or redrive settled an error-stream message, so that no later replay of its range sends it again. */
public enum Settlement {
    /** Its target answered 2xx. */
    DELIVERED,
    /**
     * It failed again and now lives elsewhere: appended to another error stream, appended again further on in the same
     * stream, or dead-lettered. Its copy there is the one to replay.
     */
    MOVED
}
