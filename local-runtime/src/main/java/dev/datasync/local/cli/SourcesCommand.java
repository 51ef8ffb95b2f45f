package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.identity.SourceRecord;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.shared.rules.RulesException;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.local.rules.SourceRulesAdmin;
import dev.datasync.local.rules.RulesTrial;
import dev.datasync.local.oci.SourceRulesStore;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.signing.SigningKeyRing;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./datasync sources add NAME [--allow TARGETS] [--rate N] [--max-secrets N] [--sign] [--json]},
 * {@code sources list [--json]}, {@code sources revoke NAME [--json]}, {@code sources sign NAME [--json]}: the source
 * applications of the local identity provider. {@code --sign} and {@code sign} give the source a signing secret in
 * Vault (a new one, or a rotation: {@link SigningSecrets}) and turn signing on in its policy; the secret is printed
 * once. {@code add} writes the source's policy ({@code sources/<id>.json}) into local-oci's state bucket, as
 * Terraform does on OCI, then registers it and prints its credential — once: it is kept nowhere. {@code list} never
 * prints credentials. A running stack picks every change up within about a second; without one, local-oci is
 * opened on the data dir for the command.
 * <p>
 * {@code sources rules NAME FILE} checks a rules file ({@code {"filter": "<expr>", "transform": "<expr>"}}, JSONata)
 * and sets it as the source's rules ({@code rules/<id>.json} in the state bucket, what the delivering functions read
 * at their next batch); {@code --clear} removes them; {@code --test MESSAGE} prints what the target would receive for
 * a sync request (one {@code /stream/sync} item) under the rules in force, or under FILE when one is given (then
 * nothing is set), or that it would be filtered. A file that does not compile: exit 2, naming the expression and the
 * position. What it does is {@link SourceRulesAdmin}'s; this class only reads the arguments.
 */
@Command(name = "sources", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = "The source applications of the local identity provider.")
final class SourcesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code sources} alone: its commands, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
            description = {"Register a source application and print its credential ONCE (send it as "
                    + SourceHeaders.SOURCE_TOKEN + ": Bearer <credential>).",
                    "Its policy goes to sources/<NAME>.json in the state bucket; a running stack admits it within "
                            + "about a second."})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "source id: lower-case letters, digits and -, at most 32")
        String name;

        @Option(names = "--allow", paramLabel = "TARGETS", defaultValue = "",
                description = "comma-separated targets it may reach (default: the global target_allowlist)")
        String allow;

        @Option(names = "--rate", paramLabel = "N", description = "requests per second (default "
                + LocalIdentityProvider.DEFAULT_RATE_PER_SECOND + ")")
        Long rate;

        @Option(names = "--max-secrets", paramLabel = "N", description = "Vault secrets it may hold (default "
                + LocalIdentityProvider.DEFAULT_MAX_SECRETS + ")")
        Long maxSecrets;

        @Option(names = "--sign", description = "sign its deliveries (Standard Webhooks): its signing secret is "
                + "created in Vault and printed ONCE (docs/signing.md)")
        boolean sign;

        @Option(names = "--json", description = "the source and its credential as one JSON object")
        boolean json;

        private final CliEnv cli;

        Add(CliEnv cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            Path dataDir = cli.dataDir();
            return cli.quietly(dataDir, () -> add(this, dataDir, cli.env(), cli.out()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
            description = "Every source and its policy (never a credential).")
    static final class ListSources implements Callable<Integer> {
        @Option(names = "--json", description = "one JSON array")
        boolean json;

        private final CliEnv cli;

        ListSources(CliEnv cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            Path dataDir = cli.dataDir();
            return cli.quietly(dataDir, () -> list(json, dataDir, cli.out()));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
            description = "Revoke a source: its credential is refused from then on (its policy is kept).")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the source id")
        String name;

        @Option(names = "--json", description = "the revoked source as one JSON object")
        boolean json;

        private final CliEnv cli;

        Revoke(CliEnv cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            Path dataDir = cli.dataDir();
            return cli.quietly(dataDir, () -> revoke(name, json, dataDir, cli.out()));
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
            description = {"Turn signing on for a source, or rotate its signing secret; the new secret is printed ONCE.",
                    "After a rotation every delivery carries both signatures for signing_rotation_overlap."})
    static final class Sign implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the source id")
        String name;

        @Option(names = "--json", description = "the source and its new signing secret as one JSON object")
        boolean json;

        private final CliEnv cli;

        Sign(CliEnv cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            Path dataDir = cli.dataDir();
            return cli.quietly(dataDir, () -> sign(name, json, dataDir, cli.env(), cli.out()));
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
            description = {"Check a rules file {\"filter\": \"<expr>\", \"transform\": \"<expr>\"} (JSONata) and set it "
                    + "as the source's rules (rules/<NAME>.json in the state bucket); --clear removes them; --test "
                    + "MESSAGE shows what the target would receive for one sync request under the rules in force, or "
                    + "under FILE (then nothing is set).",
                    "Exit 2 when the file does not compile (naming the expression and the position); --test: exit 1 "
                            + "when the message would fail (transformFailed)."},
            customSynopsis = {"datasync sources rules NAME FILE",
                    "       datasync sources rules NAME --clear",
                    "       datasync sources rules NAME [FILE] --test MESSAGE [--json]"})
    static final class Rules implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the source id")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "the rules file (JSON)")
        String file;

        @Option(names = "--clear", description = "remove the source's rules")
        boolean clear;

        @Option(names = "--test", paramLabel = "MESSAGE",
                description = "a file with one /stream/sync item: what would the target receive?")
        String test;

        @Option(names = "--json", description = "with --test: the outcome as one JSON object")
        boolean json;

        private final CliEnv cli;

        Rules(CliEnv cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            if (clear && (file != null || test != null)) {
                throw new CliException("sources rules: --clear takes only NAME (no FILE, no --test)");
            }
            if (!clear && test == null && file == null) {
                throw new CliException("sources rules: give a rules FILE, --clear or --test MESSAGE (see ./datasync "
                        + "sources rules --help)");
            }
            Path dataDir = cli.dataDir();
            return cli.quietly(dataDir, () -> rules(this, dataDir, cli.out()));
        }
    }

    private static int add(Add args, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        String id = validName(args.name);
        List<String> allow = allowlist(args.allow);
        int rate = atLeastOne("rate", args.rate, LocalIdentityProvider.DEFAULT_RATE_PER_SECOND);
        int maxSecrets = atLeastOne("max-secrets", args.maxSecrets, LocalIdentityProvider.DEFAULT_MAX_SECRETS);
        LocalIdentityProvider identity = LocalIdentityProvider.open(dataDir);
        if (identity.list().stream().anyMatch(s -> s.id().equals(id) && !s.revoked())) {
            throw new CliException("source " + id + " already exists; revoke it first to issue it a new credential");
        }
        SigningKeyRing ring = null;
        // the policy (and the signing secret) first: a source the gateway admits always has its policy in the bucket,
        // and a signing source's first delivery finds its secret
        try (OciSession s = OciSession.open(dataDir)) {
            if (args.sign) {
                ring = SigningSecrets.rotate(s, env, id);
            }
            new SourcePolicyStore(s.clients().objectStorage(), s.resources().namespace(), Topology.STATE_BUCKET)
                    .put(new SourcePolicy(id, allow, rate, maxSecrets, args.sign ? Boolean.TRUE : null));
        }
        LocalIdentityProvider.Registered r;
        try {
            r = identity.add(id, allow, rate, maxSecrets, args.sign,
                    StackSettings.fromEnvironment(env).sourceTokenLifetime());
        } catch (LocalIdentityProvider.SourceExists e) {
            throw new CliException(e.getMessage());
        }
        if (args.json) {
            ObjectNode o = describe(r.source());
            o.put("credential", r.credential().token());
            o.put("expiresAt", r.credential().expiresAt().toString());
            if (ring != null) {
                o.put("signingSecret", ring.current().text());
            }
            out.println(ControlChars.json(o));
        } else {
            out.printf("source %s added: %s%n", id, summary(r.source()));
            out.printf("its credential, shown only now (valid until %s); send it as %s: Bearer <credential>%n",
                    r.credential().expiresAt(), SourceHeaders.SOURCE_TOKEN);
            out.println(r.credential().token());
            if (ring != null) {
                out.println("its signing secret, shown only now (receivers verify webhook-signature with it):");
                out.println(ring.current().text());
            }
        }
        return 0;
    }

    /**
     * {@code sources sign NAME}: turns signing on for the source, or rotates its secret. After a rotation every
     * delivery carries both signatures for {@code signing_rotation_overlap}; the new secret is printed once.
     */
    private static int sign(String name, boolean json, Path dataDir, Map<String, String> env, PrintStream out)
            throws Exception {
        String id = validName(name);
        LocalIdentityProvider identity = LocalIdentityProvider.open(dataDir);
        SourceRecord source = identity.list().stream().filter(s -> s.id().equals(id) && !s.revoked()).findFirst()
                .orElseThrow(() -> new CliException("no active source named " + id));
        SigningKeyRing ring;
        Duration overlap;
        try (OciSession s = OciSession.open(dataDir)) {
            ring = SigningSecrets.rotate(s, env, id);
            overlap = SigningSecrets.overlap(s, env);
            // the secret before the policy: a policy that signs always finds its secret
            new SourcePolicyStore(s.clients().objectStorage(), s.resources().namespace(), Topology.STATE_BUCKET)
                    .put(source.signed().policy());
        }
        identity.sign(id);
        Instant ends = ring.overlapEndsAt(overlap);
        if (json) {
            ObjectNode o = describe(source.signed());
            o.put("signingSecret", ring.current().text());
            o.put("previousSignedUntil", ends == null ? null : ends.toString());
            out.println(ControlChars.json(o));
        } else {
            out.printf("source %s signs its deliveries; its new signing secret, shown only now:%n", id);
            out.println(ring.current().text());
            if (ends != null) {
                out.printf("deliveries carry the previous secret's signature too until %s%n", ends);
            }
        }
        return 0;
    }

    private static int list(boolean json, Path dataDir, PrintStream out) throws Exception {
        List<SourceRecord> sources = LocalIdentityProvider.open(dataDir).list();
        if (json) {
            ArrayNode a = Json.mapper().createArrayNode();
            sources.forEach(s -> a.add(describe(s)));
            out.println(ControlChars.json(a));
            return 0;
        }
        if (sources.isEmpty()) {
            out.println("(no sources: ./datasync up creates the default source local)");
            return 0;
        }
        out.printf("%-32s %-8s %s%n", "SOURCE", "STATUS", "POLICY");
        for (SourceRecord s : sources) {
            out.printf("%-32s %-8s %s%n", ControlChars.escape(s.id()), s.revoked() ? "revoked" : "active",
                    summary(s));
        }
        return 0;
    }

    private static int revoke(String name, boolean json, Path dataDir, PrintStream out) throws Exception {
        String id = validName(name);
        SourceRecord r;
        try {
            r = LocalIdentityProvider.open(dataDir).revoke(id);
        } catch (LocalIdentityProvider.UnknownSource e) {
            throw new CliException(e.getMessage());
        }
        if (json) {
            out.println(ControlChars.json(describe(r)));
        } else {
            out.printf("source %s revoked at %s: its credential is refused from now on%n", id, r.revokedAt());
        }
        return 0;
    }

    private static int rules(Rules args, Path dataDir, PrintStream out) throws Exception {
        String id = validName(args.name);
        if (LocalIdentityProvider.open(dataDir).list().stream().noneMatch(s -> s.id().equals(id))) {
            throw new CliException("unknown source " + id + " (./datasync sources list shows them)");
        }
        byte[] file = args.file != null ? readFile(args.file, "rules file") : null;
        try (OciSession s = OciSession.open(dataDir)) {
            SourceRulesAdmin admin = new SourceRulesAdmin(new SourceRulesStore(s.clients().objectStorage(),
                    s.resources().namespace(), Topology.STATE_BUCKET), RulesSettings.DEFAULT);
            if (args.test != null) {
                return printTrial(admin.test(id, file, readFile(args.test, "message file")), id, args.json, out);
            }
            if (args.clear) {
                boolean had = admin.clear(id);
                out.println(had ? "rules of source " + id + " cleared: its messages are sent as received from the"
                        + " functions' next batch" : "source " + id + " had no rules");
                return 0;
            }
            String version = admin.set(id, file);
            out.println("rules of source " + id + " set, version " + version + ": the delivering functions use them"
                    + " from their next batch (ReadDataStream, replays and the redrive alike)");
            return 0;
        } catch (RulesException e) {
            throw new CliException("rules refused: " + e.describe());
        } catch (RulesTrial.BadMessage e) {
            throw new CliException(e.getMessage());
        }
    }

    /** {@code --test}: 0 when the message would be delivered or filtered, 1 when it would fail. */
    private static int printTrial(RulesTrial.Result r, String id, boolean json, PrintStream out) throws IOException {
        String body = r.body() == null ? null : new String(r.body(), StandardCharsets.UTF_8);
        if (json) {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("source", id);
            o.put("rulesVersion", r.rulesVersion());
            o.put("outcome", r.outcome());
            o.put("method", r.method());
            o.put("target", r.target());
            o.put("body", body);
            o.put("reason", r.reason());
            out.println(ControlChars.json(o));
        } else {
            String rules = r.rulesVersion() == null ? "source " + id + " has no rules"
                    : "rules " + r.rulesVersion() + " of source " + id;
            switch (r.outcome()) {
                case RulesTrial.Result.FILTERED -> out.println(rules + ": the message would be filtered (not"
                        + " delivered, in no error stream)");
                case RulesTrial.Result.TRANSFORM_FAILED -> out.println(rules + ": the message would go to"
                        + " UnrecoverableErrorStream as transformFailed: " + ControlChars.escape(r.reason()));
                default -> {
                    out.println(rules + ": the target would receive " + r.method() + " "
                            + ControlChars.escape(r.target()) + (body == null ? " with no body" : " with this body:"));
                    if (body != null) {
                        out.println(ControlChars.escape(body));
                    }
                }
            }
        }
        return r.outcome().equals(RulesTrial.Result.TRANSFORM_FAILED) ? 1 : 0;
    }

    private static byte[] readFile(String name, String what) throws IOException {
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new CliException(what + " " + ControlChars.escape(name) + " does not exist");
        }
    }

    /** A source as {@code list --json} shows it: everything but credentials. */
    private static ObjectNode describe(SourceRecord s) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("id", s.id());
        o.set("allowlist", Json.mapper().valueToTree(s.allowlist()));
        o.put("ratePerSecond", s.ratePerSecond());
        o.put("maxSecrets", s.maxSecrets());
        o.put("createdAt", s.createdAt().toString());
        o.put("revoked", s.revoked());
        o.put("revokedAt", s.revokedAt() == null ? null : s.revokedAt().toString());
        o.put("signing", s.signing());
        return o;
    }

    private static String summary(SourceRecord s) {
        return "targets " + (s.allowlist().isEmpty() ? "(the global target_allowlist)"
                : ControlChars.escape(String.join(",", s.allowlist()))) + "; " + s.ratePerSecond() + " requests/s; " + s.maxSecrets()
                + " secrets" + (s.signing() ? "; deliveries signed" : "");
    }

    private static String validName(String id) {
        if (!SourcePolicy.isValidId(id)) {
            throw new CliException("source name " + ControlChars.escape(id) + " must match " + SourcePolicy.ID_PATTERN
                    + " (lower-case letters, digits and -, at most 32 characters)");
        }
        return id;
    }

    private static List<String> allowlist(String raw) {
        List<String> entries = Arrays.stream(raw.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
        for (String e : entries) {
            if (e.chars().anyMatch(Character::isWhitespace)) {
                throw new CliException("--allow entry '" + e + "' contains a space; entries are separated by commas");
            }
        }
        return entries;
    }

    private static int atLeastOne(String name, Long value, long dflt) {
        long v = value == null ? dflt : value;
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new CliException("--" + name + " must be a whole number >= 1, got " + v);
        }
        return (int) v;
    }
}
