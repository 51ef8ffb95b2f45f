package dev.datasync.local.demo;

import java.util.List;

/** The demo's outcome, case by case. */
public record DemoReport(List<CaseResult> cases) {

    public long accepted() {
        return cases.stream().filter(c -> c.syncId() != null).count();
    }

    public long delivered() {
        return cases.stream().filter(CaseResult::delivered).count();
    }

    /** Every case ended where it should: recoverable ones delivered, the others not, rejected ones never written. */
    public boolean asExpected() {
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
