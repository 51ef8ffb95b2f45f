package dev.datasync.deploy.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of a Dockerfile's {@code ENTRYPOINT ["java", ..., "-cp", ...]}, read from the file so that the
 * benchmark's "image" setup starts the JVM the image starts. The archive and native-library flags are left out:
 * the benchmark supplies its own archive, and a custom codec needs no native library.
 */
final class ImageEntrypoint {

    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$");

    private ImageEntrypoint() {
    }

    static List<String> jvmFlags(Path dockerfile) throws IOException {
        Matcher m = ENTRYPOINT.matcher(Files.readString(dockerfile));
        if (!m.find()) {
            throw new IllegalStateException(dockerfile + " has no exec-form ENTRYPOINT");
        }
        JsonNode words = new ObjectMapper().readTree(m.group(1));
        List<String> flags = new ArrayList<>();
        for (int i = 1; i < words.size() && !words.get(i).asText().equals("-cp"); i++) {
            String flag = words.get(i).asText();
            if (!flag.startsWith("-XX:SharedArchiveFile=") && !flag.startsWith("-Xshare:")
                    && !flag.startsWith("-Djava.library.path=")) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
