package dev.datasync.localoci.objectstorage;

import dev.datasync.localoci.http.OciException;

/** A single HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) as Object Storage accepts. */
final class ByteRange {
    private ByteRange() {}

    /** {first, last} inclusive within an object of {@code size} bytes; 416 InvalidRange if unsatisfiable. */
    static long[] parse(String header, long size) {
        if (!header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            throw invalid();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw invalid();
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw invalid();
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (first > last || first >= size) {
                throw invalid();
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static OciException invalid() {
        return new OciException(416, "InvalidRange", "The requested range is not satisfiable");
    }
}
