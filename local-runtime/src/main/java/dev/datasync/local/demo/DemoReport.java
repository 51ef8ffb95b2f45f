package dev.datasync.local.demo;

import java.util.List;

/**
 * The demo's outcome, case by case, and its small file through bulk ingest.
 *
 * @param bulk the file's lines written, refused and delivered
 */
public record DemoReport(List<CaseResult> cases, BulkResult bulk) {

    /** The demo file: {@value #FILE_LINES} lines, one of them carrying a credential. */
    public record BulkResult(long written, long refused, long delivered) {
        public static final int FILE_LINES = 4;

        public boolean asExpected() {
            return written == FILE_LINES - 1 && refused == 1 && delivered == written;
        }
    }

    public long accepted() {
        return cases.stream().filter(c -> c.syncId() != null).count();
    }

    public long delivered() {
        return cases.stream().filter(CaseResult::delivered).count();
    }

    /**
     * Every case ended where it should: recoverable ones delivered, the others not, rejected ones never written; and
     * the file's valid lines delivered, its credential line refused.
     */
    public boolean asExpected() {
        if (!bulk.asExpected()) {
            return false;
        }
        for (CaseResult c : cases) {
            DemoCase d = c.demoCase();
            if (DemoCase.REJECTED.equals(d.expectedStream())) {
                if (c.syncId() != null || c.syncStatus() != d.rejectionStatus()) {
                    return false;
                }
                continue;
            }
            if (c.syncId() == null) {
                return false;
            }
            boolean firstOk = d.expectedStream() == null ? c.firstStream() == null
                    : d.expectedStream().equals(c.firstStream());
            boolean finalOk = (d.expectedStream() == null || d.recoverable()) == c.delivered();
            if (!firstOk || !finalOk) {
                return false;
            }
        }
        return true;
    }
}
