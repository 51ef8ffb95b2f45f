package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

/** terraform/ checked against the oracle/oci provider schema, offline (the provider cannot be downloaded here). */
public class TerraformSchemaTest {

    private static TfConfig config;
    private static List<Finding> findings;

    @BeforeClass
    public static void validate() throws Exception {
        config = TfConfig.load(RepoPaths.terraform());
        findings = new SchemaValidator(ProviderSchema.load()).validate(config);
        findings.forEach(f -> System.out.println("terraform/" + f));
    }

    @Test
    public void everyFileParsesAndDeclaresResources() {
        assertFalse("no resource parsed from terraform/", config.resources().isEmpty());
    }

    @Test
    public void everyResourceAndDataBlockMatchesTheProviderSchemaAndEveryReferenceResolves() {
        List<String> problems = findings.stream()
                .filter(f -> f.kind() != Finding.Kind.UNDETAILED_TYPE)
                .map(Finding::toString).collect(Collectors.toList());
        assertEquals("findings:\n" + String.join("\n", problems), List.of(), problems);
    }

    @Test
    public void everyResourceTypeUsedIsDetailedInTheSchemaSoItsArgumentsAreChecked() {
        List<String> undetailed = findings.stream().filter(f -> f.kind() == Finding.Kind.UNDETAILED_TYPE)
                .map(Finding::toString).collect(Collectors.toList());
        assertEquals(List.of(), undetailed);
    }
}
