package dev.datasync.localoci.objectstorage;

import com.oracle.bmc.objectstorage.model.ListObjects;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.model.StorageTier;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ListObjects over one bucket, as its query asks: names in order from {@code start} within {@code prefix}, before
 * {@code end} and after {@code startAfter}; with {@code delimiter=/} names rolled up to prefixes at the next '/';
 * at most {@code limit} entries (objects and prefixes) and {@code nextStartWith} for the next page; the
 * {@code fields} asked for.
 */
final class ObjectListing {
    private static final int MAX_LIST_LIMIT = 1000;
    private static final Set<String> LIST_FIELDS = Set.of("name", "size", "etag", "timeCreated", "md5",
            "timeModified", "storageTier", "archivalState");
    /** Names read from the store per query while scanning. */
    private static final int SCAN_BATCH = 500;

    private final ObjectRepository objects;

    ObjectListing(ObjectRepository objects) {
        this.objects = objects;
    }

    ListObjects list(String bucket, Request request) {
        String prefix = request.query("prefix") == null ? "" : request.query("prefix");
        String start = request.query("start");
        String end = request.query("end");
        String startAfter = request.query("startAfter");
        String delimiter = request.query("delimiter");
        if (delimiter != null && !delimiter.equals("/")) {
            throw OciException.invalidParameter("Only '/' is a supported delimiter");
        }
        Integer limitParam = request.queryInt("limit");
        int limit = limitParam == null ? MAX_LIST_LIMIT : limitParam;
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw OciException.invalidParameter("limit must be between 1 and " + MAX_LIST_LIMIT);
        }
        Set<String> fields = fields(request.query("fields"));

        List<ObjectSummary> listed = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>();
        String nextStartWith = null;
        String from = start != null && start.compareTo(prefix) > 0 ? start : prefix;
        scan:
        while (true) {
            List<ObjectInfo> batch = objects.listFrom(bucket, from, SCAN_BATCH);
            for (ObjectInfo o : batch) {
                String n = o.name();
                if (end != null && n.compareTo(end) >= 0) {
                    break scan;
                }
                if (!n.startsWith(prefix)) {
                    break scan; // names are sorted: nothing further can match the prefix
                }
                if (startAfter != null && n.compareTo(startAfter) <= 0) {
                    continue;
                }
                String rolledUp = null;
                if (delimiter != null) {
                    int slash = n.indexOf('/', prefix.length());
                    if (slash >= 0) {
                        rolledUp = n.substring(0, slash + 1);
                        if (prefixes.contains(rolledUp)) {
                            continue;
                        }
                    }
                }
                if (listed.size() + prefixes.size() == limit) {
                    nextStartWith = n;
                    break scan;
                }
                if (rolledUp != null) {
                    prefixes.add(rolledUp);
                } else {
                    listed.add(summary(o, fields));
                }
            }
            if (batch.size() < SCAN_BATCH) {
                break;
            }
            from = batch.get(batch.size() - 1).name() + '\0';
        }
        ListObjects.Builder body = ListObjects.builder().objects(listed);
        if (delimiter != null) {
            body.prefixes(new ArrayList<>(prefixes));
        }
        if (nextStartWith != null) {
            body.nextStartWith(nextStartWith);
        }
        return body.build();
    }

    private static Set<String> fields(String value) {
        if (value == null || value.isEmpty()) {
            return Set.of("name");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : value.split(",")) {
            String field = f.trim();
            if (!LIST_FIELDS.contains(field)) {
                throw OciException.invalidParameter("fields may contain only " + String.join(", ", LIST_FIELDS));
            }
            out.add(field);
        }
        out.add("name");
        return out;
    }

    private static ObjectSummary summary(ObjectInfo o, Set<String> fields) {
        ObjectSummary.Builder b = ObjectSummary.builder().name(o.name());
        if (fields.contains("size")) {
            b.size(o.size());
        }
        if (fields.contains("etag")) {
            b.etag(o.etag());
        }
        if (fields.contains("md5")) {
            b.md5(o.md5());
        }
        if (fields.contains("timeCreated")) {
            b.timeCreated(new Date(o.timeCreatedMillis()));
        }
        if (fields.contains("timeModified")) {
            b.timeModified(new Date(o.timeModifiedMillis()));
        }
        if (fields.contains("storageTier")) {
            b.storageTier(StorageTier.Standard);
        }
        return b.build();
    }
}
