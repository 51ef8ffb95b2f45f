package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** Topology's names are those of func-configs/README.md's names table, of oci-declaration.json and Terraform. */
public class TopologyTest {

    private static final RepoLayout REPO = RepoLayout.locate();

    /** resource → names, from the table under "## Names shared by Terraform and the local stack". */
    private static Map<String, List<String>> readmeNames() throws Exception {
        String readme = Files.readString(REPO.root().resolve("func-configs/README.md"));
        int start = readme.indexOf("## Names shared by Terraform and the local stack");
        assertTrue("names table missing from func-configs/README.md", start >= 0);
        Map<String, List<String>> names = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|`]+?) \\| (`.+`) \\|$").matcher(readme.substring(start));
        while (row.find()) {
            List<String> values = new ArrayList<>();
            Matcher v = Pattern.compile("`([^`]+)`").matcher(row.group(2));
            while (v.find()) {
                values.add(v.group(1));
            }
            names.put(row.group(1).trim(), values);
        }
        return names;
    }

    private static List<String> declared(JsonNode decl, String kind) {
        List<String> out = new ArrayList<>();
        decl.path(kind).forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    @Test
    public void namesAgreeWithTheFuncConfigsReadmeTable() throws Exception {
        Map<String, List<String>> t = readmeNames();
        assertEquals(List.of(Topology.APPLICATION), t.get("function application"));
        assertEquals(Topology.FUNCTIONS, t.get("functions"));
        assertEquals(List.of(Topology.DATA_STREAM), t.get("data stream"));
        assertEquals(Topology.ERROR_STREAMS, t.get("error streams"));
        assertEquals(List.of(Topology.DEAD_LETTER_STREAM), t.get("dead-letter stream"));
        assertEquals(List.of(Topology.ARCHIVE_BUCKET), t.get("archive bucket"));
        assertEquals(List.of(Topology.NOTIFICATION_TOPIC), t.get("notifications topic"));
        assertEquals(List.of(Topology.STATE_BUCKET), t.get("state bucket (source registry)"));
        assertEquals(List.of(Topology.INGEST_BUCKET), t.get("ingest bucket (bulk uploads)"));
    }

    @Test
    public void theLocalDeclarationDeclaresThem() throws Exception {
        JsonNode decl = new ObjectMapper().readTree(REPO.ociDeclaration().toFile());
        List<String> streams = declared(decl, "streams");
        assertTrue(streams.toString(), streams.contains(Topology.DATA_STREAM));
        assertTrue(streams.toString(), streams.containsAll(Topology.ERROR_STREAMS));
        assertTrue(streams.toString(), streams.contains(Topology.DEAD_LETTER_STREAM));
        assertTrue(declared(decl, "buckets").contains(Topology.ARCHIVE_BUCKET));
        assertTrue(declared(decl, "buckets").contains(Topology.STATE_BUCKET));
        assertTrue(declared(decl, "buckets").contains(Topology.INGEST_BUCKET));
        for (JsonNode bucket : decl.path("buckets")) {
            assertEquals("object events, as Terraform's bucket has them, on the ingest bucket alone",
                    bucket.path("name").asText().equals(Topology.INGEST_BUCKET),
                    bucket.path("objectEventsEnabled").asBoolean(false));
        }
        assertTrue(declared(decl, "topics").contains(Topology.NOTIFICATION_TOPIC));
        Map<String, List<String>> t = readmeNames();
        assertNotNull(t.get("stream pool"));
        assertEquals(t.get("stream pool"), declared(decl, "streamPools"));
    }

    @Test
    public void functionFoldersExistAndArchivePrefixIsTerraformsDefault() throws Exception {
        for (String fn : Topology.FUNCTIONS) {
            assertTrue(fn, Files.isRegularFile(REPO.funcYaml(fn)));
        }
        String variables = Files.readString(REPO.root().resolve("terraform/variables.tf"));
        Matcher m = Pattern.compile("variable \"archive_object_name_prefix\" \\{[^}]*default\\s*=\\s*\"([^\"]*)\"")
                .matcher(variables);
        assertTrue("archive_object_name_prefix not found in terraform/variables.tf", m.find());
        assertEquals(Topology.ARCHIVE_PREFIX, m.group(1));
    }
}
