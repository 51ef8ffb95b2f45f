package dev.datasync.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** local-oci declarations for tests that need streams of their own, next to the project's declaration. */
public final class StreamDeclarations {

    private StreamDeclarations() {
    }

    /**
     * A declaration file (deleted when the JVM exits) of compartment C, stream pool P, these streams with
     * {@code partitions} partitions each and 24 h retention, and these buckets.
     */
    public static Path write(int partitions, List<String> streams, List<String> buckets) {
        StringBuilder json = new StringBuilder("{\"compartments\":[{\"name\":\"C\"}],"
                + "\"streamPools\":[{\"name\":\"P\",\"compartment\":\"C\"}],\"streams\":[");
        for (int i = 0; i < streams.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(streams.get(i))
                    .append("\",\"compartment\":\"C\",\"streamPool\":\"P\",\"partitions\":").append(partitions)
                    .append(",\"retentionInHours\":24}");
        }
        json.append("],\"buckets\":[");
        for (int i = 0; i < buckets.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(buckets.get(i))
                    .append("\",\"compartment\":\"C\"}");
        }
        json.append("]}");
        try {
            Path file = Files.createTempFile("oci-declaration", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
