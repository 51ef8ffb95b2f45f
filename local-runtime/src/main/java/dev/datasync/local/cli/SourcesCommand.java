package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.identity.SourceRecord;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.local.oci.SourceRulesStore;
import dev.datasync.local.rules.RulesTrial;
import dev.datasync.local.rules.SourceRulesAdmin;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.rules.RulesException;
import dev.datasync.shared.signing.SigningKeyRing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./datasync sources add NAME [--allow TARGETS] [--rate N] [--max-secrets N] [--sign] [--json]},
 * {@code sources list [--json]}, {@code sources revoke NAME [--json]}, {@code sources sign NAME [--json]}: the source
 * applications of the local identity provider. {@code --sign} and {@code sign} give the source a signing secret in
 * Vault (a new one, or a rotation) and turn signing on in its policy; the secret is printed once. {@code add} writes the source's policy ({@code sources/<id>.json}) into local-oci's state bucket, as
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
final class SourcesCommand {

    static final String USAGE = """
            usage: sources add NAME [--allow TARGETS] [--rate N] [--max-secrets N] [--sign] [--json]
                   sources list [--json]
                   sources revoke NAME [--json]
                   sources sign NAME [--json]
                   sources rules NAME FILE | sources rules NAME --clear
                   sources rules NAME [FILE] --test MESSAGE [--json]""";

    private SourcesCommand() {
    }

    static int run(List<String> argv, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        if (argv.isEmpty()) {
            throw new CliException(USAGE);
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "add" -> add(new Args(rest, Set.of("allow", "rate", "max-secrets"), Set.of("json", "sign")), dataDir,
                    env, out);
            case "sign" -> sign(new Args(rest, Set.of(), Set.of("json")), dataDir, env, out);
            case "list" -> list(new Args(rest, Set.of(), Set.of("json")), dataDir, out);
            case "revoke" -> revoke(new Args(rest, Set.of(), Set.of("json")), dataDir, out);
            case "rules" -> rules(new Args(rest, Set.of("test"), Set.of("clear", "json")), dataDir, out);
            default -> throw new CliException(USAGE);
        };
    }

    private static int add(Args args, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        String id = oneName(args);
        List<String> allow = allowlist(args.get("allow", ""));
        int rate = (int) atLeastOne(args, "rate", LocalIdentityProvider.DEFAULT_RATE_PER_SECOND);
        int maxSecrets = (int) atLeastOne(args, "max-secrets", LocalIdentityProvider.DEFAULT_MAX_SECRETS);
        LocalIdentityProvider identity = LocalIdentityProvider.open(dataDir);
        if (identity.list().stream().anyMatch(s -> s.id().equals(id) && !s.revoked())) {
            throw new CliException("source " + id + " already exists; revoke it first to issue it a new credential");
        }
        boolean signing = args.has("sign");
        SigningKeyRing ring = null;
        // the policy (and the signing secret) first: a source the gateway admits always has its policy in the bucket,
        // and a signing source's first delivery finds its secret
        try (OciSession s = OciSession.open(dataDir)) {
            if (signing) {
                ring = SigningSecrets.rotate(s, env, id);
            }
            new SourcePolicyStore(s.clients().objectStorage(), s.resources().namespace(), Topology.STATE_BUCKET)
                    .put(new SourcePolicy(id, allow, rate, maxSecrets, signing ? Boolean.TRUE : null));
        }
        LocalIdentityProvider.Registered r;
        try {
            r = identity.add(id, allow, rate, maxSecrets, signing,
                    StackSettings.fromEnvironment(env).sourceTokenLifetime());
        } catch (LocalIdentityProvider.SourceExists e) {
            throw new CliException(e.getMessage());
        }
        if (args.has("json")) {
            ObjectNode o = describe(r.source());
            o.put("credential", r.credential().token());
            o.put("expiresAt", r.credential().expiresAt().toString());
            if (ring != null) {
                o.put("signingSecret", ring.current().text());
            }
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
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
    private static int sign(Args args, Path dataDir, Map<String, String> env, PrintStream out) throws Exception {
        String id = oneName(args);
        LocalIdentityProvider identity = LocalIdentityProvider.open(dataDir);
        SourceRecord source = identity.list().stream().filter(s -> s.id().equals(id) && !s.revoked()).findFirst()
                .orElseThrow(() -> new CliException("no active source named " + id));
        SigningKeyRing ring;
        java.time.Duration overlap;
        try (OciSession s = OciSession.open(dataDir)) {
            ring = SigningSecrets.rotate(s, env, id);
            overlap = SigningSecrets.overlap(s, env);
            // the secret before the policy: a policy that signs always finds its secret
            new SourcePolicyStore(s.clients().objectStorage(), s.resources().namespace(), Topology.STATE_BUCKET)
                    .put(source.signed().policy());
        }
        identity.sign(id);
        java.time.Instant ends = ring.overlapEndsAt(overlap);
        if (args.has("json")) {
            ObjectNode o = describe(source.signed());
            o.put("signingSecret", ring.current().text());
            o.put("previousSignedUntil", ends == null ? null : ends.toString());
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            out.printf("source %s signs its deliveries; its new signing secret, shown only now:%n", id);
            out.println(ring.current().text());
            if (ends != null) {
                out.printf("deliveries carry the previous secret's signature too until %s%n", ends);
            }
        }
        return 0;
    }

    private static int list(Args args, Path dataDir, PrintStream out) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new CliException(USAGE);
        }
        List<SourceRecord> sources = LocalIdentityProvider.open(dataDir).list();
        if (args.has("json")) {
            ArrayNode a = Json.mapper().createArrayNode();
            sources.forEach(s -> a.add(describe(s)));
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(a));
            return 0;
        }
        if (sources.isEmpty()) {
            out.println("(no sources: ./datasync up creates the default source local)");
            return 0;
        }
        out.printf("%-32s %-8s %s%n", "SOURCE", "STATUS", "POLICY");
        for (SourceRecord s : sources) {
            out.printf("%-32s %-8s %s%n", s.id(), s.revoked() ? "revoked" : "active", summary(s));
        }
        return 0;
    }

    private static int revoke(Args args, Path dataDir, PrintStream out) throws Exception {
        String id = oneName(args);
        SourceRecord r;
        try {
            r = LocalIdentityProvider.open(dataDir).revoke(id);
        } catch (LocalIdentityProvider.UnknownSource e) {
            throw new CliException(e.getMessage());
        }
        if (args.has("json")) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(describe(r)));
        } else {
            out.printf("source %s revoked at %s: its credential is refused from now on%n", id, r.revokedAt());
        }
        return 0;
    }

    private static int rules(Args args, Path dataDir, PrintStream out) throws Exception {
        List<String> pos = args.positional();
        if (pos.isEmpty() || pos.size() > 2 || (args.has("clear") && (pos.size() != 1 || args.has("test")))
                || (!args.has("clear") && !args.has("test") && pos.size() != 2)) {
            throw new CliException(USAGE);
        }
        String id = oneName(new Args(pos.subList(0, 1), Set.of(), Set.of()));
        if (LocalIdentityProvider.open(dataDir).list().stream().noneMatch(s -> s.id().equals(id))) {
            throw new CliException("unknown source " + id + " (./datasync sources list shows them)");
        }
        byte[] file = pos.size() == 2 ? readFile(pos.get(1), "rules file") : null;
        try (OciSession s = OciSession.open(dataDir)) {
            SourceRulesAdmin admin = new SourceRulesAdmin(new SourceRulesStore(s.clients().objectStorage(),
                    s.resources().namespace(), Topology.STATE_BUCKET), RulesSettings.DEFAULT);
            if (args.has("test")) {
                return printTrial(admin.test(id, file, readFile(args.get("test", null), "message file")), id,
                        args.has("json"), out);
            }
            if (args.has("clear")) {
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
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            String rules = r.rulesVersion() == null ? "source " + id + " has no rules"
                    : "rules " + r.rulesVersion() + " of source " + id;
            switch (r.outcome()) {
                case RulesTrial.Result.FILTERED -> out.println(rules + ": the message would be filtered (not"
                        + " delivered, in no error stream)");
                case RulesTrial.Result.TRANSFORM_FAILED -> out.println(rules + ": the message would go to"
                        + " UnrecoverableErrorStream as transformFailed: " + r.reason());
                default -> {
                    out.println(rules + ": the target would receive " + r.method() + " " + r.target()
                            + (body == null ? " with no body" : " with this body:"));
                    if (body != null) {
                        out.println(body);
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
            throw new CliException(what + " " + name + " does not exist");
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
                : String.join(",", s.allowlist())) + "; " + s.ratePerSecond() + " requests/s; " + s.maxSecrets()
                + " secrets" + (s.signing() ? "; deliveries signed" : "");
    }

    private static String oneName(Args args) {
        if (args.positional().size() != 1) {
            throw new CliException(USAGE);
        }
        String id = args.positional().get(0);
        if (!SourcePolicy.isValidId(id)) {
            throw new CliException("source name " + id + " must match " + SourcePolicy.ID_PATTERN
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

    private static long atLeastOne(Args args, String name, long dflt) {
        long v = args.getLong(name, dflt);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new CliException("--" + name + " must be a whole number >= 1, got " + v);
        }
        return v;
    }
}
