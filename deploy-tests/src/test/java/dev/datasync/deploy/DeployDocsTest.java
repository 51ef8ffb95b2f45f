package dev.datasync.deploy;

import org.junit.Test;

import java.nio.file.Files;
import java.util.regex.Pattern;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** docs/deploy.md says what the code and the Terraform do, where a file states it. */
public class DeployDocsTest {

    @Test
    public void oversizeSyncBodiesAreDocumentedWithTheFunctionsAnswerNotA413() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/deploy.md"));
        String readme = Files.readString(RepoPaths.root().resolve("populate-data-stream-fn/README.md"));
        String gateway = Files.readString(RepoPaths.terraform().resolve("apigateway.tf"));
        // the function's own table: TooLarge and TooManyItems are 400 answers
        assertTrue("populate README no longer lists TooLarge/TooManyItems as 400: update docs/deploy.md",
                Pattern.compile("(?m)^\\| 400 \\|.*`TooLarge`.*`TooManyItems`").matcher(readme).find());
        assertTrue(docs.contains("**400**") && docs.contains("`TooLarge`") && docs.contains("`TooManyItems`"));
        // a 413 could only come from a gateway body limit, and the deployment declares none
        assertFalse("apigateway.tf now limits bodies: document the gateway's status", gateway.contains("body_size"));
        assertFalse("docs/deploy.md claims a 413 that nothing answers",
                docs.replace("nothing here answers 413", "").contains("413"));
    }
}
