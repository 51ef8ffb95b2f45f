package dev.datasync.deploy;

import dev.datasync.shared.config.MetricsSettings;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.datasync.deploy.ApiAuthenticationTest.attr;
import static dev.datasync.deploy.ApiAuthenticationTest.literal;
import static dev.datasync.deploy.ApiAuthenticationTest.nested;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * terraform/ against issue 10's automatic redrive on OCI: DeadLetterStream archived and notified like the error
 * streams; the trigger (alarm on redrive.pending repeating every minute → topic → retry-fn, plus an hourly schedule)
 * and its IAM; the redrive settings in the application configuration; error-stream retention that covers
 * redrive_max_age. With terraform installed, the variable validations and the retention check are evaluated.
 */
public class AutomaticRedriveTerraformTest {

    private static TfConfig tf;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    private static TfBlock resource(String type, String name) {
        return tf.resource(type, name).orElseThrow(() -> new AssertionError(type + "." + name + " is not declared"));
    }

    // ------------------------------------------------------------------------------------------------
    // DeadLetterStream
    // ------------------------------------------------------------------------------------------------

    @Test
    public void deadLetterStreamIsInThePoolOfTheErrorStreamsWithTheirPartitionsAndRetention() {
        TfBlock dead = resource("oci_streaming_stream", "dead_letter");
        TfBlock error = resource("oci_streaming_stream", "error");
        assertEquals("DeadLetterStream", literal(dead, "name"));
        for (String a : List.of("stream_pool_id", "partitions", "retention_in_hours")) {
            assertEquals(a, attr(error, a), attr(dead, a));
        }
    }

    @Test
    public void deadLetterStreamIsArchivedNotifiedAndReadableLikeTheErrorStreams() {
        assertTrue(tf.local("failure_streams").text(), tf.local("failure_streams").text()
                .startsWith("merge(oci_streaming_stream.error, "));
        assertTrue("failure_streams adds DeadLetterStream under the class deadLetter",
                java.util.regex.Pattern.compile("(?m)^\\s*failure_streams\\s*=\\s*merge\\(oci_streaming_stream\\.error,"
                        + " \\{ deadLetter = oci_streaming_stream\\.dead_letter }\\)$").matcher(read("locals.tf")).find());
        assertEquals("local.failure_streams", attr(resource("oci_sch_service_connector", "error_to_archive"), "for_each"));
        assertEquals("var.error_topic_raw_messages ? local.failure_streams : HCLBlock()",
                attr(resource("oci_sch_service_connector", "error_to_topic"), "for_each"));
        assertEquals("local.failure_streams", attr(resource("oci_monitoring_alarm", "error_stream"), "for_each"));
        // the connectors may read it; read routes to it, retry dead-letters and replays it: every per-stream grant
        // of iam.tf iterates local.failure_streams, none the error streams alone
        String iam = read("iam.tf");
        assertTrue(iam.contains("[for s in local.failure_streams : \"Allow any-user to {STREAM_READ, STREAM_CONSUME}"));
        assertEquals("read and retry push to every failure stream", 2,
                iam.split("\\[for s in local.failure_streams : \"use stream-push", -1).length - 1);
        assertFalse("no push grant is left on the error streams alone",
                iam.contains("[for s in oci_streaming_stream.error : \"use stream-push"));
        // retry reads the error streams (replay, redrive), never DeadLetterStream, which is the end
        assertTrue(iam.contains("[for s in oci_streaming_stream.error : \"use stream-pull"));
        assertEquals(1, iam.split("use stream-pull", -1).length - 1);
    }

    @Test
    public void theFunctionsAreToldTheDeadLetterStreamWhichIsNotReplayed() {
        Map<String, TfAttribute> config = tf.local("app_config_values").entries();
        assertEquals("oci_streaming_stream.dead_letter.id", config.get("dead_letter_stream_ocid").text());
        assertEquals("join(\",\", local.error_stream_ids)", config.get("retryable_stream_ocids").text());
        assertFalse(tf.local("error_stream_ids").text().contains("dead_letter"));
    }

    @Test
    public void noErrorClassMayTakeTheDeadLetterStreamsPlace() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        for (String streams : List.of(
                "{ unrecoverable = \"U\", serviceUnavailable = \"S\", internalserver = \"I\", default = \"D\", deadLetter = \"X\" }",
                "{ unrecoverable = \"U\", serviceUnavailable = \"S\", internalserver = \"I\", default = \"D\", gone = \"DeadLetterStream\" }")) {
            Map<String, String> v = ApiAuthenticationTest.validVariables();
            v.put("error_streams", streams);
            TerraformConsole.Output out = console.evaluate(module, v, "var.error_streams");
            assertTrue(streams + ":\n" + out.text(), out.refusedWith("error_streams may not use the class deadLetter"));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The trigger
    // ------------------------------------------------------------------------------------------------

    @Test
    public void theAlarmFiresEveryMinuteWhileAnyStreamHasMessagesWaitingForRedrive() {
        TfBlock alarm = resource("oci_monitoring_alarm", "redrive_pending");
        assertEquals(MetricsSettings.NAMESPACE, tf.local("metrics_namespace").literal().orElseThrow());
        assertEquals("local.metrics_namespace", attr(alarm, "namespace"));
        assertEquals("redrive.pending", tf.local("redrive_pending_metric").literal().orElseThrow());
        assertEquals(List.of("${local.redrive_pending_metric}[1m].max() > 0"), alarm.attribute("query").orElseThrow().strings());
        assertEquals("PT1M", literal(alarm, "repeat_notification_duration"));
        assertEquals("PT1M", literal(alarm, "pending_duration"));
        assertEquals("true", literal(alarm, "is_enabled"));
        assertEquals("one notification per tick, not one per stream", "false",
                literal(alarm, "is_notifications_per_metric_dimension_enabled"));
        assertEquals("HCLArray(oci_ons_notification_topic.redrive.id)", attr(alarm, "destinations"));
        // the alarm looks where the functions post
        assertEquals("var.compartment_ocid", attr(alarm, "metric_compartment_id"));
        assertEquals("var.compartment_ocid", tf.local("app_config_values").entries().get("metrics_compartment_ocid").text());
        assertEquals("its own topic: the error digests' subscribers are people", "datasync-redrive-trigger",
                literal(resource("oci_ons_notification_topic", "redrive"), "name"));
    }

    @Test
    public void theTopicInvokesRetryFnOnceTheFunctionsAreDeployed() {
        TfBlock subscription = resource("oci_ons_subscription", "redrive");
        assertEquals("var.functions_deployed ? 1 : 0", attr(subscription, "count"));
        assertEquals("oci_ons_notification_topic.redrive.id", attr(subscription, "topic_id"));
        assertEquals("ORACLE_FUNCTIONS", literal(subscription, "protocol"));
        assertEquals("local.retry_function_id", attr(subscription, "endpoint"));
    }

    @Test
    public void anHourlyScheduleInvokesRetryFnInRedriveModeAsTheSafetyNet() throws Exception {
        TfBlock schedule = resource("oci_resource_scheduler_schedule", "redrive");
        assertEquals("var.functions_deployed ? 1 : 0", attr(schedule, "count"));
        assertEquals("START_RESOURCE", literal(schedule, "action"));
        assertEquals("ICAL", literal(schedule, "recurrence_type"));
        assertEquals("FREQ=HOURLY;INTERVAL=1", literal(schedule, "recurrence_details"));
        List<TfBlock> resources = schedule.blocks("resources");
        assertEquals(1, resources.size());
        assertEquals("local.retry_function_id", attr(resources.get(0), "id"));
        TfBlock body = nested(resources.get(0), "parameters");
        assertEquals("BODY", literal(body, "parameter_type"));

        TerraformConsole console = ApiAuthenticationTest.console();
        String value = read("redrive.tf").lines().filter(l -> l.trim().startsWith("value")).findFirst().orElseThrow()
                .replaceFirst("^\\s*value\\s*=\\s*", "");
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "locals {\n  body = " + value + "\n}\n");
        TerraformConsole.Output out = console.evaluate(module, ApiAuthenticationTest.validVariables(), "jsonencode(local.body)");
        assertEquals(out.text(), "\"[\\\"{\\\\\\\"mode\\\\\\\":\\\\\\\"redrive\\\\\\\"}\\\"]\"", out.value());
    }

    @Test
    public void theScheduleMayInvokeTheFunctionsAndNothingElseOfTheTrigger() {
        TfBlock policy = resource("oci_identity_policy", "redrive_schedule");
        assertEquals("var.functions_deployed ? 1 : 0", attr(policy, "count"));
        List<String> statements = IamStatements.of(tf, "oci_identity_policy.redrive_schedule");
        String principal = "where all {request.principal.type='resourceschedule',"
                + " request.principal.id='${oci_resource_scheduler_schedule.redrive[0].id}'}";
        assertEquals(List.of(
                "Allow any-user to use fn-function in compartment id ${var.compartment_ocid} " + principal,
                "Allow any-user to use fn-invocation in compartment id ${var.compartment_ocid} " + principal), statements);
    }

    @Test
    public void everyFunctionMayPostMetricsInTheirNamespaceOnly() {
        String grant = " to use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace='"
                + MetricsSettings.NAMESPACE + "'";
        // issue 11: populate and bulk ingest count what they accept, read and retry what they deliver
        for (String fn : List.of("populate", "read", "retry", "ingest")) {
            List<String> statements = IamStatements.of(tf, "oci_identity_policy.function[\"" + fn + "\"]");
            assertTrue(fn + ": " + statements, statements.stream().anyMatch(s -> s.endsWith(grant)));
        }
        List<String> metricGrants = IamStatements.of(tf).values().stream().flatMap(List::stream)
                .filter(s -> s.contains(" metrics ")).collect(Collectors.toList());
        assertEquals("one metrics grant per function, always narrowed to the namespace", 4, metricGrants.size());
    }

    @Test
    public void theFunctionsWriteOnlyTheirOwnStatePrefixes() {
        String ops = ", any {request.operation='PutObject', request.operation='DeleteObject'}";
        Map<String, String> expected = Map.of(
                "populate", "target.object.name=/idempotency*/" + ops,
                "read", "target.object.name=/held*/" + ops,
                "retry", "any {target.object.name=/held*/, target.object.name=/replay*/, target.object.name=/redrive*/}" + ops);
        expected.forEach((fn, condition) -> {
            List<String> writes = IamStatements.of(tf, "oci_identity_policy.function[\"" + fn + "\"]").stream()
                    .filter(s -> s.contains(" to manage objects ")).collect(Collectors.toList());
            assertEquals(fn + ": " + writes, 1, writes.size());
            assertTrue(fn + ": " + writes.get(0), writes.get(0).endsWith(
                    "where all {target.bucket.name='${oci_objectstorage_bucket.state.name}', " + condition + "}"));
        });
    }

    @Test
    public void theStatePrefixesTheCodeWritesAreTheOnesTheFunctionsMayWrite() {
        Map<String, List<String>> writtenBy = Map.of(
                // the manual replay's leases and marks (retry-fn)
                dev.datasync.shared.replay.PartitionLease.PREFIX, List.of("retry"),
                dev.datasync.shared.replay.ReplayMarks.PREFIX, List.of("retry"),
                // the held keys of per-key order (BatchPipeline: ReadDataStream and the replays of retry-fn)
                dev.datasync.shared.ordering.internal.HeldIndexStore.NAME, List.of("read", "retry"));
        writtenBy.forEach((object, functions) -> {
            String first = object.substring(0, object.indexOf('/'));
            for (String fn : functions) {
                String write = IamStatements.of(tf, "oci_identity_policy.function[\"" + fn + "\"]").stream()
                        .filter(s -> s.contains(" to manage objects ")).findFirst().orElseThrow();
                assertTrue(object + " is written by " + fn + ": " + write, write.contains("target.object.name=/" + first + "*/"));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Settings
    // ------------------------------------------------------------------------------------------------

    @Test
    public void theRedriveSettingsReachTheFunctions() {
        Map<String, TfAttribute> config = tf.local("app_config_values").entries();
        assertEquals("var.redrive_schedule", config.get("redrive_schedule").text());
        assertEquals("var.redrive_max_age", config.get("redrive_max_age").text());
        assertEquals("datasync-redrive", config.get("redrive_group").literal().orElseThrow());
        assertTrue(config.get("redrive_stream_ocids").text().contains("local.redrive_stream_ids"));
        assertTrue(tf.local("redrive_stream_ids").text().contains("oci_streaming_stream.error[c].id"));
        assertEquals("\"1m,5m,30m,2h,5h,10h,10h\"", attr(tf.variables().get("redrive_schedule"), "default"));
        assertEquals("24h", literal(tf.variables().get("redrive_max_age"), "default"));
        assertEquals("the three recoverable error streams", List.of("serviceUnavailable", "internalserver", "default"),
                tf.variables().get("redrive_error_classes").attribute("default").orElseThrow().strings());
        // a class that is not an error stream is refused before apply, with a message
        assertTrue(preconditions(resource("oci_functions_application", "datasync")).contains("local.redrive_classes_known"));
    }

    @Test
    public void invalidRedriveSettingsAreRefusedNamingTheVariable() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        Map<String, Map.Entry<String, String>> cases = Map.of(
                "\"1m, 5m\"", Map.entry("redrive_schedule", "redrive_schedule must be waits"),
                "\"0m,5m\"", Map.entry("redrive_schedule", "redrive_schedule must be waits"),
                "\"1m,2d\"", Map.entry("redrive_schedule", "redrive_schedule must be waits"),
                "\"1m,,5m\"", Map.entry("redrive_schedule", "redrive_schedule must be waits"),
                "\"\"", Map.entry("redrive_max_age", "redrive_max_age must be digits"),
                "\"1d\"", Map.entry("redrive_max_age", "redrive_max_age must be digits"),
                "\"0h\"", Map.entry("redrive_max_age", "redrive_max_age must be digits"),
                "[\"default\", \"unrecoverable\"]", Map.entry("redrive_error_classes", "may not contain unrecoverable"),
                "[]", Map.entry("redrive_error_classes", "must name at least one error class"));
        for (Map.Entry<String, Map.Entry<String, String>> c : cases.entrySet()) {
            Map<String, String> v = ApiAuthenticationTest.validVariables();
            v.put(c.getValue().getKey(), c.getKey());
            TerraformConsole.Output out = console.evaluate(module, v, "var." + c.getValue().getKey());
            assertTrue(c.getValue().getKey() + " = " + c.getKey() + " must be refused:\n" + out.text(),
                    out.refusedWith(c.getValue().getValue()));
        }
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("redrive_schedule", "\"1s,2s,5s\"");
        v.put("redrive_max_age", "\"90m\"");
        v.put("redrive_error_classes", "[\"default\"]");
        TerraformConsole.Output ok = console.evaluate(module, v, "var.redrive_schedule");
        assertFalse(ok.text(), ok.refusedAnything());
    }

    // ------------------------------------------------------------------------------------------------
    // Retention covers redrive_max_age
    // ------------------------------------------------------------------------------------------------

    @Test
    public void theErrorStreamsRefuseARetentionShorterThanTheRedriveMaxAge() {
        TfBlock error = resource("oci_streaming_stream", "error");
        assertTrue(preconditions(error).contains("local.error_stream_retention_covers_redrive"));
        String message = error.block("lifecycle").orElseThrow().blocks("precondition").stream()
                .filter(p -> attr(p, "condition").equals("local.error_stream_retention_covers_redrive"))
                .findFirst().orElseThrow().attribute("error_message").orElseThrow().strings().get(0);
        assertTrue(message, message.contains("error_stream_retention_hours") && message.contains("redrive_max_age"));
    }

    @Test
    public void theRetentionCheckComparesHoursWithTheMaxAgeInEveryUnit() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        String locals = read("locals.tf");
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "locals {\n"
                + "  redrive_max_age_seconds = " + AppConfigSizeTest.expression(locals, "redrive_max_age_seconds") + "\n"
                + "  error_stream_retention_covers_redrive = "
                + AppConfigSizeTest.expression(locals, "error_stream_retention_covers_redrive") + "\n}\n");
        Map<String, Boolean> cases = Map.of(
                "24|\"24h\"", true, "24|\"25h\"", false, "168|\"168h\"", true, "24|\"1440m\"", true,
                "24|\"1441m\"", false, "24|\"86400s\"", true, "24|\"86401s\"", false, "48|\"90m\"", true);
        for (Map.Entry<String, Boolean> c : cases.entrySet()) {
            String[] parts = c.getKey().split("\\|");
            Map<String, String> v = ApiAuthenticationTest.validVariables();
            v.put("error_stream_retention_hours", parts[0]);
            v.put("redrive_max_age", parts[1]);
            TerraformConsole.Output out = console.evaluate(module, v, "local.error_stream_retention_covers_redrive");
            assertEquals(c.getKey() + ":\n" + out.text(), c.getValue().toString(), out.value());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // State bucket lifecycle
    // ------------------------------------------------------------------------------------------------

    @Test
    public void idempotencyKeysAreDeletedTwoWholeDaysAfterTheirLastWriteAndNothingElseIs() {
        TfBlock policy = resource("oci_objectstorage_object_lifecycle_policy", "state");
        assertEquals("oci_objectstorage_bucket.state.name", attr(policy, "bucket"));
        List<TfBlock> rules = policy.blocks("rules");
        assertEquals(1, rules.size());
        TfBlock rule = rules.get(0);
        assertEquals("DELETE", literal(rule, "action"));
        assertEquals("objects", literal(rule, "target"));
        assertEquals("true", literal(rule, "is_enabled"));
        assertEquals("DAYS", literal(rule, "time_unit"));
        assertEquals("local.idempotency_key_retention_days", attr(rule, "time_amount"));
        assertEquals("2", tf.local("idempotency_key_retention_days").literal().orElseThrow());
        TfBlock filter = nested(rule, "object_name_filter");
        assertEquals("the registry (sources/) is never expired", List.of("idempotency/"),
                filter.attribute("inclusion_prefixes").orElseThrow().strings());
        assertTrue(filter.attribute("inclusion_patterns").isEmpty());
        assertEquals("HCLArray(oci_identity_policy.object_lifecycle)", attr(policy, "depends_on"));
        assertTrue(IamStatements.of(tf, "oci_identity_policy.object_lifecycle").contains(
                "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_ocid}"
                        + " where target.bucket.name='datasync-state'"));
    }

    private static List<String> preconditions(TfBlock block) {
        return block.block("lifecycle").stream().flatMap(l -> l.blocks("precondition").stream())
                .map(p -> attr(p, "condition")).collect(Collectors.toList());
    }

    private static String read(String file) {
        try {
            return Files.readString(RepoPaths.terraform().resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
