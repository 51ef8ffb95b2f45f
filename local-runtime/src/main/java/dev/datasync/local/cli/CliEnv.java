package dev.datasync.local.cli;

import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.observe.StackView;
import dev.datasync.local.stack.DataDir;
import dev.datasync.local.stack.SettingException;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** What every command is given: the environment ({@code DATASYNC_*}) and where its answer goes. */
record CliEnv(Map<String, String> env, PrintStream out) {

    interface Work {
        int run() throws Exception;
    }

    /** {@code DATASYNC_DATA_DIR}, absolute. */
    Path dataDir() {
        return StackSettings.dataDir(env);
    }

    /**
     * The data dir, which must hold a stack ({@code ./datasync up} ran on it at least once): the inspection
     * commands must not open a fresh, empty emulator on a mistyped {@code DATASYNC_DATA_DIR} and show nothing.
     */
    Path dataDirWithStack() {
        Path dir = dataDir();
        if (!Files.isDirectory(dir)) {
            throw new SettingException("DATASYNC_DATA_DIR", dir.toString(), "no such directory (start a stack on "
                    + "it with ./datasync up, or set DATASYNC_DATA_DIR to the one ./datasync up uses)");
        }
        // a stack runs here (stack.json, which readLive then checks for trust) or ran here
        if (!Files.exists(StackInfo.file(dir), LinkOption.NOFOLLOW_LINKS)) {
            try {
                StackView.requireStack(dir);
            } catch (StackView.NoStack e) {
                throw new SettingException("DATASYNC_DATA_DIR", dir.toString(), "no datasync stack in this directory "
                        + "(start one with ./datasync up, or set DATASYNC_DATA_DIR to the one ./datasync up uses)");
            }
        }
        return dir;
    }

    /**
     * Runs a command that prints only its answer: the log lines of the local-oci it may open (and the SDK's stderr
     * chatter) go to {@code <data dir>/cli.log}.
     */
    int quietly(Path dataDir, Work work) throws Exception {
        DataDir.create(dataDir);
        PrintStream original = System.err;
        try (PrintStream log = new PrintStream(PrivateFiles.appending(dataDir.resolve("cli.log")), true)) {
            System.setErr(log);
            RuntimeLog.redirect(log);
            return work.run();
        } finally {
            System.setErr(original);
            RuntimeLog.redirect(original);
        }
    }
}
