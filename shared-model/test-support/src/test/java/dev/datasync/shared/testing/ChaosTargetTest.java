package dev.datasync.shared.testing;

import dev.datasync.shared.testing.ChaosTarget.FaultMix;
import dev.datasync.shared.testing.ChaosTarget.Outcome;
import org.junit.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

public class ChaosTargetTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> post(ChaosTarget target, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).timeout(Duration.ofMillis(500))
                .header("Idempotency-Key", "k-" + body).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void eachFaultKindFailsTheCallItsOwnWay() throws Exception {
        try (ChaosTarget target = ChaosTarget.start(1)) {
            target.faults(new FaultMix(1, 0, 0, 0, 0));
            int status = post(target, "/a", "1").statusCode();
            assertTrue("5xx: " + status, status >= 500 && status <= 504);

            target.faults(new FaultMix(0, 1, 0, 0, 0));
            HttpResponse<String> throttled = post(target, "/a", "2");
            assertEquals(429, throttled.statusCode());
            assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(null));

            target.faults(new FaultMix(0, 0, 1, 0, 2_000));
            try {
                post(target, "/a", "3");
                fail("a silent call is never answered");
            } catch (HttpTimeoutException expected) {
                // the caller's time-out ended it
            }

            target.faults(new FaultMix(0, 0, 0, 1, 0));
            try {
                post(target, "/a", "4");
                fail("a reset call is never answered");
            } catch (IOException expected) {
                assertTrue(expected.toString(), !(expected instanceof HttpTimeoutException));
            }

            target.heal();
            assertEquals(200, post(target, "/b", "5").statusCode());

            List<ChaosTarget.Call> calls = target.calls();
            assertEquals(List.of(Outcome.SERVER_ERROR, Outcome.THROTTLED, Outcome.SILENT, Outcome.RESET,
                    Outcome.ACCEPTED), calls.stream().map(ChaosTarget.Call::outcome).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), calls.stream().map(ChaosTarget.Call::order).toList());
            ChaosTarget.Call last = calls.get(4);
            assertEquals("/b", last.path());
            assertEquals("5", last.bodyText());
            assertEquals("k-5", last.header("Idempotency-Key"));
            assertTrue(last.accepted());
            assertNull(last.header("X-Absent"));
        }
    }

    @Test
    public void theSameSeedDrawsTheSameFaults() throws Exception {
        List<List<Outcome>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (ChaosTarget target = ChaosTarget.start(42).faults(new FaultMix(0.3, 0.3, 0, 0, 0))) {
                for (int i = 0; i < 30; i++) {
                    post(target, "/s", Integer.toString(i));
                }
                runs.add(target.calls().stream().map(ChaosTarget.Call::outcome).toList());
            }
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue("some calls failed, some were accepted: " + runs.get(0),
                runs.get(0).contains(Outcome.ACCEPTED) && runs.get(0).contains(Outcome.THROTTLED));
    }
}
