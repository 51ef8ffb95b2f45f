package dev.datasync.shared.oci.internal;

/**
 * What one sweep did.
 * @param listed    ACTIVE secrets of the vault looked at (listing stops at the first one created within the
 *                  retention: it and all later ones cannot be stale)
 * @param inspected GetSecret calls made
 * @param foreign   secrets without our marker, left alone
 * @param kept      our secrets used within the retention
 * @param scheduled our secrets scheduled for deletion
 * @param skipped   changed between our read and our ScheduleSecretDeletion (used again, or deleted meanwhile)
 * @param failed    calls that failed
 * @param complete  false when the run stopped at a bound (or on failures) before the end of the list
 */
public record SweepReport(int listed, int inspected, int foreign, int kept, int scheduled, int skipped, int failed,
                          boolean complete) {
}
