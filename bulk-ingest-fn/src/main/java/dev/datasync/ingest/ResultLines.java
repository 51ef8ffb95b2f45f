package dev.datasync.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * The lines of a result object ({@code results/<source id>/<file>.jsonl}), one JSON object each: per line of the
 * file, in file order, {@code {"line", "syncId", "partition", "offset", "traceId"}} (written to DataSyncStream; each
 * line starts a trace of its own),
 * {@code {"line", "error": {"code", "field", "message"}}} (refused, nothing written) or {@code {"line", "skipped":
 * "blank"}}; then one {@code {"summary": {…}}} line, which alone carries an {@code error} when the file was refused
 * as a whole.
 */
final class ResultLines {

    private ResultLines() {
    }

    static byte[] written(long line, String syncId, String partition, long offset, String traceId) {
        ObjectNode n = node(line);
        n.put("syncId", syncId);
        n.put("partition", partition);
        n.put("offset", offset);
        if (traceId != null) {
            n.put("traceId", traceId);
        }
        return bytes(n);
    }

    static byte[] refused(long line, ApiError error) {
        ObjectNode n = node(line);
        n.set("error", error(error));
        return bytes(n);
    }

    static byte[] blank(long line) {
        ObjectNode n = node(line);
        n.put("skipped", "blank");
        return bytes(n);
    }

    static byte[] summary(IngestState s, String processedAs) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode sum = root.putObject("summary");
        sum.put("object", s.object());
        sum.put("etag", s.etag());
        sum.put("sourceId", s.sourceId());
        sum.put("bytes", s.size());
        sum.put("lines", s.accepted() + s.rejected() + s.blank());
        sum.put("written", s.accepted());
        sum.put("refused", s.rejected());
        sum.put("blank", s.blank());
        if (s.fileError() != null) {
            sum.set("error", error(s.fileError()));
        }
        sum.put("processedAs", processedAs);
        sum.put("invocations", s.invocations());
        sum.put("startedAt", s.startedAt().toString());
        return bytes(root);
    }

    private static ObjectNode node(long line) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("line", line);
        return n;
    }

    private static ObjectNode error(ApiError e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("code", e.code());
        if (e.field() != null) {
            n.put("field", e.field());
        }
        n.put("message", e.message());
        return n;
    }

    private static byte[] bytes(ObjectNode n) {
        byte[] json = Json.toBytes(n);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    static String text(byte[] lines) {
        return new String(lines, StandardCharsets.UTF_8);
    }
}
