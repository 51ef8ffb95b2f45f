package dev.datasync.ingest;

import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.util.Optional;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** What a line may not carry, and what it may. */
public class CredentialScanTest {

    private static Optional<String> field(String line) throws Exception {
        return CredentialScan.find(Json.mapper().readTree(line)).map(ApiError::field);
    }

    private static String line(String message) {
        return "{\"streamKey\":\"k\",\"streamMessage\":{\"targetRestApi\":\"https://a.example.com/x\","
                + "\"targetRestApiOperation\":\"POST\"," + message + "}}";
    }

    @Test
    public void credentialFieldsAndHeadersAreFoundInAnySpelling() throws Exception {
        assertEquals(Optional.of("streamMessage.access_token"), field(line("\"access_token\":\"x\"")));
        assertEquals(Optional.of("streamMessage.API-KEY"), field(line("\"API-KEY\":\"x\"")));
        assertEquals(Optional.of("Authorization"), field("{\"Authorization\":\"x\",\"streamMessage\":{}}"));
        assertEquals(Optional.of("streamMessage.targetRestApiHeaders[1].key"), field(line(
                "\"targetRestApiHeaders\":[{\"key\":\"Accept\",\"value\":\"*/*\"},"
                        + "{\"key\":\"Cookie\",\"value\":\"s=1\"}]")));
    }

    @Test
    public void credentialValuesAreFoundAnywhereThePayloadIncluded() throws Exception {
        assertEquals(Optional.of("streamMessage.targetRestApiPayload.auth[0]"),
                field(line("\"targetRestApiPayload\":{\"auth\":[\"bearer abc\"]}")));
        assertEquals(Optional.of("streamMessage.targetRestApiHeaders[0].value"),
                field(line("\"targetRestApiHeaders\":[{\"key\":\"X-Forward\",\"value\":\"Basic dXNlcjpwdw==\"}]")));
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcmRlcnMifQ.c2ln";
        assertEquals(Optional.of("streamMessage.targetRestApiPayload.t"),
                field(line("\"targetRestApiPayload\":{\"t\":\"" + jwt + "\"}")));
    }

    @Test
    public void ordinaryLinesAndPayloadFieldNamesPass() throws Exception {
        assertTrue(field(line("\"vaultSecretName\":\"orders-token\",\"targetRestApiPayload\":{\"password\":\"p\","
                + "\"token\":\"tok_123\",\"note\":\"bearer of good news\"},"
                + "\"targetRestApiHeaders\":[{\"key\":\"Content-Type\",\"value\":\"application/json\"}]")).isEmpty());
    }
}
