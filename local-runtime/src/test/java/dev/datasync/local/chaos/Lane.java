package dev.datasync.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.SyncClient;
import dev.datasync.shared.contract.SourceHeaders;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One client application's stream of sync requests, sent one after the other (the next only once the previous was
 * answered 202 or given up), each carrying its lane and sequence number in the payload. A keyed lane sends them
 * with its {@code streamKey}, so their order is owed at the target; a keyless lane sends none.
 * <p>
 * An idempotent lane sends each request with an {@code Idempotency-Key} and, after an ambiguous answer (no answer,
 * a time-out, 429, 5xx, the stack down, 409 {@code IdempotencyKeyInProgress} while its first request is still being
 * written), sends the same body with the same key again until it is answered 202.
 * A plain lane never resends: a request without an answer may or may not have been accepted, and resending it would
 * deliver it twice — the duplicates the idempotency key exists to prevent.
 */
final class Lane implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 409 code for a resend that arrives while the first request with its key is still being written. */
    private static final String IN_PROGRESS = "IdempotencyKeyInProgress";

    /**
     * @param key        the streamKey, or null for a keyless lane
     * @param name       the lane's name in payloads and target paths (the key, or a keyless lane's own name)
     * @param pauseMs    between two messages, to spread the traffic over the fault phase
     */
    record Spec(String source, String credential, String name, String key, boolean idempotent, int messages,
                long pauseMs) {
    }

    private final Spec spec;
    private final String runId;
    private final String targetBaseUrl;
    private final AtomicReference<String> gateway;
    private final SyncClient client;
    private final Ledger ledger;
    private final BooleanSupplier stop;

    /**
     * @param runId   makes idempotency keys unique to this run
     * @param gateway the current gateway URL, null while the stack is down
     */
    Lane(Spec spec, String runId, String targetBaseUrl, AtomicReference<String> gateway, SyncClient client,
         Ledger ledger, BooleanSupplier stop) {
        this.spec = spec;
        this.runId = runId;
        this.targetBaseUrl = targetBaseUrl;
        this.gateway = gateway;
        this.client = client;
        this.ledger = ledger;
        this.stop = stop;
    }

    Spec spec() {
        return spec;
    }

    @Override
    public void run() {
        try {
            for (int seq = 0; seq < spec.messages() && !stop.getAsBoolean(); seq++) {
                send(new MessageId(spec.source(), spec.name(), seq));
                Thread.sleep(spec.pauseMs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(MessageId id) throws InterruptedException {
        String body = body(id);
        String[] headers = headers(id);
        long backoffMs = 100;
        while (!stop.getAsBoolean()) {
            String gw = gateway.get();
            if (gw == null) {
                Thread.sleep(50); // the stack is down: nothing sent, so nothing is ambiguous yet
                continue;
            }
            ledger.requestSent();
            String ambiguity;
            try {
                HttpResponse<String> r = client.sync(gw, body, headers);
                if (r.statusCode() == 202) {
                    ledger.acknowledged(id, JSON.readTree(r.body()).get("syncId").asText(),
                            "true".equals(r.headers().firstValue("Idempotent-Replayed").orElse(null)));
                    return;
                }
                boolean inProgress = r.statusCode() == 409
                        && IN_PROGRESS.equals(JSON.readTree(r.body()).path("code").asText());
                if (r.statusCode() != 429 && r.statusCode() < 500 && !inProgress) {
                    ledger.unexpected(id, r.statusCode() + " " + r.body());
                    return;
                }
                ambiguity = inProgress ? IN_PROGRESS : Integer.toString(r.statusCode());
            } catch (IOException e) {
                ambiguity = e.getClass().getSimpleName(); // no answer: refused, reset, timed out, stack killed
            }
            ledger.ambiguous(ambiguity);
            if (!spec.idempotent()) {
                ledger.givenUp(id);
                return;
            }
            ledger.resent();
            Thread.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 1_000);
        }
    }

    private String body(MessageId id) {
        var payload = JSON.createObjectNode().put("source", id.source()).put("lane", id.lane()).put("seq", id.seq());
        var message = JSON.createObjectNode()
                .put("vaultSecretName", "chaos-" + id.source())
                .put("targetRestApi", targetBaseUrl + "/chaos/" + id.source() + "/" + id.lane())
                .put("targetRestApiOperation", "POST");
        message.set("targetRestApiPayload", payload);
        message.set("targetRestApiHeaders", JSON.createArrayNode());
        var request = JSON.createObjectNode();
        if (spec.key() != null) {
            request.put("streamKey", spec.key());
        }
        request.set("streamMessage", message);
        return request.toString();
    }

    private String[] headers(MessageId id) {
        List<String> h = new ArrayList<>(List.of(SourceHeaders.SOURCE_TOKEN, "Bearer " + spec.credential(),
                "Authorization", "Bearer " + targetToken(id.source())));
        if (spec.idempotent()) {
            h.addAll(List.of("Idempotency-Key", runId + "-" + id.source() + "-" + id.lane() + "-" + id.seq()));
        }
        return h.toArray(String[]::new);
    }

    /** The target token a source sends (kept in Vault under the source's secret name). */
    static String targetToken(String source) {
        return "chaos-token-" + source;
    }

    /** The message a target call delivers, read from its payload; null for a call that is not one of ours. */
    static MessageId delivered(byte[] body) {
        try {
            JsonNode p = JSON.readTree(body);
            if (p == null || !p.hasNonNull("lane") || !p.hasNonNull("seq")) {
                return null;
            }
            return new MessageId(p.path("source").asText(), p.get("lane").asText(), p.get("seq").asInt());
        } catch (IOException e) {
            return null;
        }
    }
}
