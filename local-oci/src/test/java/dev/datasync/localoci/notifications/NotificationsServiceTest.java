package dev.datasync.localoci.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.ons.NotificationControlPlaneClient;
import com.oracle.bmc.ons.NotificationDataPlaneClient;
import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.model.NotificationTopic;
import com.oracle.bmc.ons.model.PublishResult;
import com.oracle.bmc.ons.requests.GetTopicRequest;
import com.oracle.bmc.ons.requests.PublishMessageRequest;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.localoci.EmulatorRule;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Notifications through the real NotificationDataPlaneClient, with a declaration of its own: one topic with an
 * outbox and two webhooks served by a local HttpServer that can be told to fail.
 */
public class NotificationsServiceTest {
    @ClassRule
    public static final TemporaryFolder folder = new TemporaryFolder();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer webhook;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger failuresToAnswer = new AtomicInteger();
    private static Path dataDir;
    private static LocalOci oci;
    private static NotificationDataPlaneClient ons;
    private static NotificationControlPlaneClient control;
    private static String topicId;

    record Received(String path, String body, Map<String, List<String>> headers) {}

    @BeforeClass
    public static void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            if (failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            }
            received.add(new Received(exchange.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8),
                    Map.copyOf(exchange.getRequestHeaders())));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        dataDir = folder.newFolder("data").toPath();
        oci = startEmulator(declaration("http://127.0.0.1:" + webhook.getAddress().getPort()));
        topicId = oci.resources().topics().get("alerts");
        clients();
    }

    private static Path declaration(String webhookBase) throws IOException {
        String json = "{\"compartments\":[{\"name\":\"c\"}],\"topics\":[{\"name\":\"alerts\",\"compartment\":\"c\","
                + "\"subscriptions\":[{\"protocol\":\"OUTBOX\"},"
                + "{\"protocol\":\"CUSTOM_HTTPS\",\"endpoint\":\"" + webhookBase + "/hook\"},"
                + "{\"protocol\":\"HTTPS\",\"endpoint\":\"" + webhookBase.replace("http://", "http://bob:s%3Acret@")
                + "/auth\"}]}]}";
        Path file = folder.newFile().toPath();
        Files.writeString(file, json);
        return file;
    }

    private static LocalOci startEmulator(Path declaration) throws IOException {
        return EmulatorRule.start(dataDir, b -> b.declaration(declaration));
    }

    private static void clients() {
        ConfigFileAuthenticationDetailsProvider provider = EmulatorRule.provider(oci);
        ons = NotificationDataPlaneClient.builder().endpoint(oci.baseUrl())
                .configuration(EmulatorRule.noRetries()).build(provider);
        control = NotificationControlPlaneClient.builder().endpoint(oci.baseUrl())
                .configuration(EmulatorRule.noRetries()).build(provider);
    }

    @AfterClass
    public static void stop() {
        ons.close();
        control.close();
        oci.close();
        webhook.stop(0);
    }

    @Before
    public void reset() {
        received.clear();
        failuresToAnswer.set(0);
        oci.faults().clear();
    }

    @After
    public void clearFaults() {
        oci.faults().clear();
    }

    private static PublishResult publish(String title, String body) {
        return ons.publishMessage(PublishMessageRequest.builder().topicId(topicId)
                .messageType(PublishMessageRequest.MessageType.RawText)
                .messageDetails(MessageDetails.builder().title(title).body(body).build()).build()).getPublishResult();
    }

    private static List<JsonNode> outbox() throws IOException {
        Path file = dataDir.resolve("outbox/alerts.jsonl");
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<Received> awaitWebhooks(String messageId, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<Received> matching = received.stream()
                    .filter(r -> messageId.equals(first(r, "X-oci-ns-messageid"))).toList();
            if (matching.size() >= count) {
                return matching;
            }
            Thread.sleep(20);
        }
        fail("webhook did not receive " + count + " deliveries of " + messageId + ": " + received);
        return null;
    }

    private static String first(Received r, String header) {
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase(header)) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    @Test
    public void publishedMessageIsInTheOutboxWhenPublishReturnsAndReachesBothWebhooks() throws Exception {
        PublishResult result = publish("3 messages failed", "{\"stream\":\"DefaultErrorStream\",\"count\":3}");
        assertNotNull(result.getMessageId());
        assertNotNull(result.getTimeStamp());

        JsonNode line = outbox().stream().filter(n -> n.get("messageId").asText().equals(result.getMessageId()))
                .findFirst().orElseThrow();
        assertEquals(topicId, line.get("topicId").asText());
        assertEquals("alerts", line.get("topicName").asText());
        assertEquals("3 messages failed", line.get("title").asText());
        assertEquals("{\"stream\":\"DefaultErrorStream\",\"count\":3}", line.get("body").asText());
        assertEquals("RAW_TEXT", line.get("messageType").asText());

        List<Received> hooks = awaitWebhooks(result.getMessageId(), 2);
        Received plain = hooks.stream().filter(r -> r.path().equals("/hook")).findFirst().orElseThrow();
        assertEquals("{\"stream\":\"DefaultErrorStream\",\"count\":3}", plain.body());
        assertEquals(topicId, first(plain, "X-OCI-NS-TopicId"));
        Received authed = hooks.stream().filter(r -> r.path().equals("/auth")).findFirst().orElseThrow();
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("bob:s:cret".getBytes(StandardCharsets.UTF_8)),
                first(authed, "Authorization"));
    }

    @Test
    public void failingWebhookIsRetriedUntilItAccepts() throws Exception {
        failuresToAnswer.set(3);
        PublishResult result = publish(null, "retry me");
        List<Received> attempts = awaitWebhooks(result.getMessageId(), 5); // 3 failures + 2 successes (2 hooks)
        assertTrue(attempts.stream().allMatch(r -> r.body().equals("retry me")));
        Thread.sleep(DeliveryWorker.FIRST_BACKOFF_MILLIS * 4);
        assertEquals("delivered ones are not sent again", 5, received.stream()
                .filter(r -> result.getMessageId().equals(first(r, "X-OCI-NS-MessageId"))).count());
    }

    @Test
    public void errors() {
        expect(404, "NotAuthorizedOrNotFound", () -> ons.publishMessage(PublishMessageRequest.builder()
                .topicId("ocid1.onstopic.oc1.iad.unknown").messageDetails(MessageDetails.builder().body("x").build())
                .build()));
        expect(400, "MissingParameter", () -> ons.publishMessage(PublishMessageRequest.builder().topicId(topicId)
                .messageDetails(MessageDetails.builder().title("no body").build()).build()));
        expect(400, "InvalidParameter", () -> publish("big", "x".repeat(NotificationsApi.MAX_MESSAGE_BYTES + 1)));
        oci.faults().set("PublishMessage", FaultRule.failing(1.0, 503));
        expect(503, "ServiceUnavailable", () -> publish("t", "faulted"));
        assertTrue("a refused message is delivered nowhere", received.stream().noneMatch(r -> r.body().equals("faulted")));
    }

    @Test
    public void getTopicPointsItsApiEndpointAtTheEmulator() {
        NotificationTopic topic = control.getTopic(GetTopicRequest.builder().topicId(topicId).build())
                .getNotificationTopic();
        assertEquals("alerts", topic.getName());
        assertEquals(oci.baseUrl(), topic.getApiEndpoint());
        assertEquals(NotificationTopic.LifecycleState.Active, topic.getLifecycleState());
    }

    @Test
    public void undeliveredMessagesSurviveARestart() throws Exception {
        failuresToAnswer.set(Integer.MAX_VALUE);
        PublishResult result = publish("t", "survives restart");
        awaitWebhooks(result.getMessageId(), 2); // both hooks tried and refused
        ons.close();
        control.close();
        oci.close();
        failuresToAnswer.set(0);
        received.clear();
        Path declaration = declaration("http://127.0.0.1:" + webhook.getAddress().getPort());
        oci = startEmulator(declaration);
        clients();
        assertEquals("topic OCID is stable across restarts", topicId, oci.resources().topics().get("alerts"));
        List<Received> delivered = awaitWebhooks(result.getMessageId(), 2);
        assertTrue(delivered.stream().allMatch(r -> r.body().equals("survives restart")));
        long outboxCopies = outbox().stream()
                .filter(n -> n.get("messageId").asText().equals(result.getMessageId())).count();
        assertEquals(1, outboxCopies);
    }

    @Test
    public void declarationRefusesNonLocalWebhooksAndOutboxesOutsideTheDataDir() throws Exception {
        Path other = folder.newFolder().toPath();
        for (String sub : List.of("{\"protocol\":\"HTTPS\",\"endpoint\":\"https://bob:s%3Acret@example.com/hook\"}",
                "{\"protocol\":\"OUTBOX\",\"endpoint\":\"../escape.jsonl\"}",
                "{\"protocol\":\"EMAIL\",\"endpoint\":\"a@b.c\"}")) {
            Path file = folder.newFile().toPath();
            Files.writeString(file, "{\"topics\":[{\"name\":\"t\",\"subscriptions\":[" + sub + "]}]}");
            try (LocalOci ignored = EmulatorRule.start(other, b -> b.declaration(file))) {
                fail("declaration should be refused: " + sub);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), !expected.getMessage().contains("cret"));
            }
        }
    }
}
