package dev.datasync.shared.oci.internal;

/** The running counts of one sweep (one thread), as {@link SweepReport} explains them. */
final class SweepCounts {
    int listed;
    int inspected;
    int foreign;
    int kept;
    int scheduled;
    int skipped;
    int failed;

    /** @param listedToTheEnd the listing reached its end, or the first secret that cannot be stale */
    SweepReport report(boolean listedToTheEnd) {
        return new SweepReport(listed, inspected, foreign, kept, scheduled, skipped, failed,
                listedToTheEnd && failed == 0);
    }
}
