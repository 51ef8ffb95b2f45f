package dev.datasync.local.chaos;

/**
 * One message as its client application knows it: the source that sent it, the lane (its {@code streamKey}, or a
 * keyless lane's name) and its sequence number in that lane. Carried in the payload, so the target can tell which
 * message a call delivers whatever syncId it has.
 */
record MessageId(String source, String lane, int seq) {
}
