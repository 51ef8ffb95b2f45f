package dev.datasync.localoci.streaming;

/** Lets tests in other packages use the BmcException assertion. */
public final class StreamAdminTestAccess {
    private StreamAdminTestAccess() {}

    public static void expect(int status, String code, Runnable call) {
        StreamAdminTest.expect(status, code, call);
    }
}
