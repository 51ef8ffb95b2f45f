package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes messages with PutMessages and reports every entry's outcome: PutMessages can store some entries of a
 * request and refuse others, so a result is returned per entry, in request order, and nothing counts as written
 * unless OCI returned its offset. Entries are split into requests that respect OCI's 1 MB-per-request limit.
 * Never throws for service or network failures (they become failed entries). Thread-safe.
 */
public final class StreamWriter {

    /** OCI Streaming accepts at most 1 MB of messages per PutMessages request. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final Supplier<Stream> client;

    public StreamWriter(Stream client) {
        this(() -> client);
    }

    /** With a supplier such as {@code OciClients::stream}, the client is built on the first write, not before. */
    public StreamWriter(Supplier<Stream> client) {
        this.client = client;
    }

    public List<EntryResult> put(String streamOcid, List<StreamEntry> entries) {
        List<EntryResult> results = new ArrayList<>(entries.size());
        List<StreamEntry> chunk = new ArrayList<>();
        int chunkBytes = 0;
        for (StreamEntry e : entries) {
            if (!chunk.isEmpty() && chunkBytes + e.size() > MAX_REQUEST_BYTES) {
                results.addAll(putChunk(streamOcid, chunk));
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(e);
            chunkBytes += e.size();
        }
        if (!chunk.isEmpty()) {
            results.addAll(putChunk(streamOcid, chunk));
        }
        return results;
    }

    private List<EntryResult> putChunk(String streamOcid, List<StreamEntry> chunk) {
        List<PutMessagesDetailsEntry> details = new ArrayList<>(chunk.size());
        for (StreamEntry e : chunk) {
            PutMessagesDetailsEntry.Builder b = PutMessagesDetailsEntry.builder().value(e.value());
            if (e.key() != null) {
                b.key(e.key());
            }
            details.add(b.build());
        }
        PutMessagesResult result;
        try {
            result = client.get().putMessages(PutMessagesRequest.builder()
                    // never retried here (as in the SDK's own defaults): a retry after a lost answer duplicates
                    // messages, and the caller knows better (populate answers 503 + Retry-After at once)
                    .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                    .streamId(streamOcid)
                    .putMessagesDetails(PutMessagesDetails.builder().messages(details).build())
                    .build()).getPutMessagesResult();
        } catch (BmcException e) {
            // code and status only: OCI's message may echo request content
            return failAll(chunk.size(), e.getServiceCode() == null ? "BmcException" : e.getServiceCode(),
                    "PutMessages failed with HTTP " + e.getStatusCode(), e.getStatusCode());
        } catch (RuntimeException e) {
            return failAll(chunk.size(), e.getClass().getSimpleName(), "PutMessages failed: network or client error",
                    0);
        }
        List<PutMessagesResultEntry> entries = result == null ? null : result.getEntries();
        if (entries == null || entries.size() != chunk.size()) {
            return failAll(chunk.size(), "UnexpectedResponse",
                    "PutMessages answered " + (entries == null ? "no" : entries.size()) + " entries for "
                            + chunk.size(), 0);
        }
        List<EntryResult> out = new ArrayList<>(chunk.size());
        for (PutMessagesResultEntry r : entries) {
            if (r.getError() != null || r.getOffset() == null) {
                out.add(EntryResult.failed(r.getError() == null ? "MissingOffset" : r.getError(),
                        r.getErrorMessage(), 0));
            } else {
                out.add(EntryResult.written(r.getPartition(), r.getOffset()));
            }
        }
        return out;
    }

    private static List<EntryResult> failAll(int n, String code, String message, int status) {
        List<EntryResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(EntryResult.failed(code, message, status));
        }
        return out;
    }
}
