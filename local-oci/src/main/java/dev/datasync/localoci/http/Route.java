package dev.datasync.localoci.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OCI operation: method + path template such as {@code /20180418/streams/{streamId}/messages}.
 * Matching is done on the RAW path split at '/', so an encoded {@code %2F} inside an object name stays
 * inside its segment; parameters are percent-decoded only after matching.
 */
public record Route(String method, String template, String operation, SigningStrategy signing, Handler handler,
                    boolean retryToken) {

    /** Path parameters if the raw path fits the template, else null. */
    Map<String, String> match(String rawPath) {
        List<String> want = segments(template);
        List<String> got = segments(rawPath);
        if (want.size() != got.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("{") && w.endsWith("}")) {
                if (g.isEmpty()) {
                    return null;
                }
                params.put(w.substring(1, w.length() - 1), PercentCoding.decode(g));
            } else if (!w.equals(g)) {
                return null;
            }
        }
        return Collections.unmodifiableMap(params);
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        int start = path.startsWith("/") ? 1 : 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                break;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
        return out;
    }
}
