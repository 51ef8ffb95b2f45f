package dev.datasync.local.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Lets tests in other packages run a CLI command in-process (DataSyncCli.run is package-private). */
public final class DataSyncCliAccess {

    private DataSyncCliAccess() {
    }

    public static int run(List<String> argv, Map<String, String> env, PrintStream out) throws Exception {
        return DataSyncCli.run(argv, env, out);
    }

    /** As {@code ./datasync} runs it: failures become one line on {@code err} and the exit status. */
    public static int execute(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        return DataSyncCli.execute(argv, env, out, err);
    }
}
