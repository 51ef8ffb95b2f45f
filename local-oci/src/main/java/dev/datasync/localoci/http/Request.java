package dev.datasync.localoci.http;

import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One received request, already authenticated, as a handler sees it.
 *
 * @param operation  OCI operation name of the matched route (e.g. {@code PutMessages})
 * @param rawPath    path exactly as on the wire (percent-encoding kept)
 * @param pathParams template parameters, percent-decoded
 * @param query      query parameters, percent-decoded, in arrival order per name
 * @param requestId  the {@code opc-request-id} that will be echoed on the response
 */
public record Request(String operation, String method, String rawPath, Map<String, String> pathParams,
                      Map<String, List<String>> query, Headers headers, byte[] body, String requestId) {

    public String path(String name) {
        return pathParams.get(name);
    }

    /** First value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String requiredQuery(String name) {
        String value = query(name);
        if (value == null || value.isEmpty()) {
            throw OciException.missingParameter("Missing required query parameter '" + name + "'");
        }
        return value;
    }

    public Integer queryInt(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw OciException.invalidParameter("Query parameter '" + name + "' must be an integer");
        }
    }

    public String header(String name) {
        return headers.getFirst(name);
    }

    /** The JSON body read as an SDK model (or any Jackson-readable type); 400 if absent or unreadable. */
    public <T> T bodyAs(Class<T> type) {
        if (body.length == 0) {
            throw OciException.missingParameter("Request body is required");
        }
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw OciException.missingParameter("Request body is required");
            }
            return value;
        } catch (IOException e) {
            // Jackson's message names the offending field and position, never other request content.
            throw OciException.invalidParameter("Request body is not valid " + type.getSimpleName()
                    + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
