package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Every condition variable in terraform/iam.tf is one the service's policy reference documents. IAM does not
 * reject a statement with a variable the service never supplies; the statement just never matches, so the grant
 * silently does nothing (e.g. {@code target.topic.id} on ons-topics, {@code target.function.id} on fn-invocation).
 * Sources: docs/deploy.md, "IAM: sources".
 */
public class IamPolicyVariablesTest {

    private static final Pattern STATEMENT = Pattern.compile(
            "^Allow (.+?) to (\\w+|\\{[^}]*}) (\\S+) in (.+?)(?: where (.*))?$");
    private static final Pattern PERMISSIONS = Pattern.compile("^Allow (.+?) to (\\{[^}]*}) in (.+?)(?: where (.*))?$");
    private static final Pattern VARIABLE = Pattern.compile("((?:request|target)\\.[A-Za-z0-9_.-]+)\\s*=");

    /** "General Variables for All Requests" plus the principal variables the Connector Hub and API Gateway pages use. */
    private static final Set<String> GENERAL = Set.of("request.user.id", "request.user.name", "request.groups.id",
            "request.permission", "request.operation", "request.networkSource.name", "request.utc-timestamp",
            "request.region", "request.ad", "request.principal.type", "request.principal.id",
            "request.principal.compartment.id", "request.resource.compartment.id", "target.compartment.id",
            "target.compartment.name");

    /** Service-specific variables, by resource type, as listed in each service's policy reference. */
    private static final Map<String, Set<String>> SERVICE = Map.ofEntries(
            Map.entry("stream-push", Set.of("target.stream.id", "target.streampool.id")),
            Map.entry("stream-pull", Set.of("target.stream.id", "target.streampool.id")),
            Map.entry("streams", Set.of("target.stream.id", "target.streampool.id")),
            Map.entry("objects", Set.of("target.bucket.name", "target.object.name")),
            Map.entry("object-family", Set.of("target.bucket.name", "target.object.name")),
            Map.entry("secrets", Set.of("target.vault.id", "target.secret.name", "target.secret.id")),
            Map.entry("secret-bundles", Set.of("target.vault.id", "target.secret.name", "target.secret.id")),
            Map.entry("secret-family", Set.of("target.vault.id", "target.secret.name", "target.secret.id")),
            Map.entry("vaults", Set.of("target.vault.id")),
            Map.entry("keys", Set.of("target.key.id", "target.vault.id")),
            // Monitoring: "Monitoring supports all the general variables ..., plus the one listed here"
            Map.entry("metrics", Set.of("target.metrics.namespace")),
            // Notifications: "Only the general variables are supported". Functions: "supports all the general
            // variables" and lists none of its own.
            Map.entry("ons-topics", Set.of()),
            Map.entry("fn-function", Set.of()),
            Map.entry("fn-invocation", Set.of()),
            Map.entry("functions-family", Set.of()));

    private static TfConfig tf;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    @Test
    public void everyConditionVariableIsDocumentedForItsResourceType() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> policy : IamStatements.of(tf).entrySet()) {
            for (String s : policy.getValue()) {
                String resourceType;
                String condition;
                Matcher p = PERMISSIONS.matcher(s);
                Matcher m = STATEMENT.matcher(s);
                if (p.matches()) {
                    resourceType = p.group(2).contains("STREAM_") ? "streams" : p.group(2);
                    condition = p.group(4);
                } else if (m.matches()) {
                    resourceType = m.group(3);
                    condition = m.group(5);
                } else {
                    wrong.add(policy.getKey() + ": not a statement this test understands: " + s);
                    continue;
                }
                if (condition == null) {
                    continue;
                }
                Matcher v = VARIABLE.matcher(condition);
                while (v.find()) {
                    checked++;
                    String name = v.group(1);
                    boolean documented = GENERAL.contains(name) || name.startsWith("target.resource.tag.")
                            || SERVICE.getOrDefault(resourceType, Set.of()).contains(name);
                    if (!documented) {
                        wrong.add(policy.getKey() + ": " + name + " on " + resourceType + " in: " + s);
                    }
                }
            }
        }
        assertTrue("no condition variable found at all: the statement parser is broken", checked > 10);
        assertEquals("condition variables the service does not document (the statement would never match)",
                List.of(), wrong);
    }

    @Test
    public void theConnectorGrantsAreScopedToConnectorsOfTheCompartment() {
        for (String name : List.of("service_connectors", "read_connector")) {
            for (String s : IamStatements.of(tf, "oci_identity_policy." + name)) {
                assertTrue(s, s.contains("request.principal.type='serviceconnector'")
                        && s.contains("request.principal.compartment.id='${var.compartment_ocid}'"));
            }
        }
    }
}
