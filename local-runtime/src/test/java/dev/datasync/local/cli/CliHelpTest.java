package dev.datasync.local.cli;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Every command of the tree (walked, so a command added later is covered too): {@code --help} and {@code -h} print
 * its help and run nothing; an unknown option or a missing argument exits 2 naming it; {@code --version}.
 */
public class CliHelpTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private record Result(int status, String out, String err) {
    }

    private Path dataDir;

    private Result run(List<String> argv) throws Exception {
        if (dataDir == null) {
            dataDir = tmp.getRoot().toPath().resolve("never-created");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCli.execute(argv, Map.of("DATASYNC_DATA_DIR", dataDir.toString(), "DATASYNC_PORT", "0"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command path below the root: ["up"], ["sources"], ["sources", "add"], … */
    private static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        walk(DataSyncCli.commandLine(new CliEnv(Map.of(), System.out), System.out, System.err), List.of(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> into) {
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            into.add(p);
            walk(sub.getValue(), p, into);
        }
    }

    private static int requiredArguments(List<String> command) {
        CommandLine cl = DataSyncCli.commandLine(new CliEnv(Map.of(), System.out), System.out, System.err);
        for (String name : command) {
            cl = cl.getSubcommands().get(name);
        }
        return cl.getCommandSpec().positionalParameters().stream().mapToInt(p -> p.arity().min()).sum();
    }

    @Test
    public void theTreeHasEveryCommand() {
        List<List<String>> all = commands();
        for (List<String> expected : List.of(List.of("up"), List.of("demo"), List.of("streams"), List.of("messages"),
                List.of("retry"), List.of("ingest"), List.of("sources"), List.of("sources", "add"),
                List.of("sources", "list"), List.of("sources", "revoke"), List.of("sources", "rules"), List.of("trace"),
                List.of("status"))) {
            assertTrue(all + " lacks " + expected, all.contains(expected));
        }
    }

    @Test
    public void helpOnEveryCommandPrintsHelpAndRunsNothing() throws Exception {
        for (List<String> command : commands()) {
            for (String flag : List.of("--help", "-h")) {
                List<String> argv = new ArrayList<>(command);
                argv.add(flag);
                // a help option after an argument the command needs still only prints help
                Result r = run(argv);
                assertEquals(argv + ": " + r.err(), 0, r.status());
                assertTrue(argv + ": " + r.out(), r.out().startsWith("Usage: datasync " + String.join(" ", command)));
                assertEquals(argv + " wrote to stderr", "", r.err());
                assertFalse(argv + " created the data dir: something ran", Files.exists(dataDir));
            }
        }
        // the root too, and help after the arguments of a command that would otherwise run
        for (List<String> argv : List.of(List.of("--help"), List.of("-h"), List.of("messages", "DataSyncStream", "-h"),
                List.of("retry", "DefaultErrorStream", "--from", "3", "--help"), List.of("up", "--help"),
                List.of("up", "--verbose", "-h"), List.of("trace", "some-sync-id", "--help"))) {
            Result r = run(argv);
            assertEquals(argv + ": " + r.err(), 0, r.status());
            assertTrue(r.out(), r.out().startsWith("Usage: datasync"));
            assertFalse(argv + " created the data dir", Files.exists(dataDir));
        }
    }

    @Test
    public void versionOnTheRootAndOnEveryCommand() throws Exception {
        Result r = run(List.of("--version"));
        assertEquals(0, r.status());
        assertTrue(r.out(), r.out().matches("datasync \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"));
        Result sub = run(List.of("streams", "-V"));
        assertEquals(r.out(), sub.out());
        assertFalse(Files.exists(dataDir));
    }

    @Test
    public void anUnknownOptionExits2NamingItOnOneLine() throws Exception {
        for (List<String> command : commands()) {
            List<String> argv = new ArrayList<>(command);
            // the command's required arguments, so that the unknown option is the only mistake
            for (int i = 0; i < requiredArguments(command); i++) {
                argv.add("x");
            }
            argv.add("--no-such-option");
            Result r = run(argv);
            assertEquals(argv + ": " + r.err(), 2, r.status());
            assertEquals(r.err(), 1, r.err().lines().count());
            assertTrue(r.err(), r.err().contains("'--no-such-option'"));
            assertTrue(r.err(), r.err().contains("./datasync " + String.join(" ", command) + " --help"));
            assertFalse(Files.exists(dataDir));
        }
    }

    @Test
    public void badOrMissingArgumentsExit2NamingThem() throws Exception {
        Result missing = run(List.of("messages"));
        assertEquals(2, missing.status());
        assertTrue(missing.err(), missing.err().contains("STREAM"));
        Result notANumber = run(List.of("retry", "DefaultErrorStream", "--from", "abc"));
        assertEquals(2, notANumber.status());
        assertTrue(notANumber.err(), notANumber.err().contains("'--from'") && notANumber.err().contains("'abc'"));
        Result noValue = run(List.of("messages", "DataSyncStream", "--limit"));
        assertEquals(2, noValue.status());
        assertTrue(noValue.err(), noValue.err().contains("--limit"));
        Result unknownCommand = run(List.of("stream"));
        assertEquals(2, unknownCommand.status());
        assertTrue(unknownCommand.err(), unknownCommand.err().contains("'stream'"));
        assertFalse(Files.exists(dataDir));
    }
}
