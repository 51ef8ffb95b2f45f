package dev.datasync.deploy;

import dev.datasync.deploy.Finding.Kind;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

/**
 * Proves the offline check catches each kind of mistake: every fixture in tf-fixtures/ is a small valid
 * configuration with exactly one defect, and must produce findings of exactly that kind (the "valid"
 * fixture none at all).
 */
@RunWith(Parameterized.class)
public class SchemaValidatorFixturesTest {

    @Parameters(name = "{0}")
    public static List<Object[]> fixtures() {
        return List.of(
                new Object[]{"valid", null},
                new Object[]{"unknown-type", Kind.UNKNOWN_TYPE},
                new Object[]{"unknown-argument", Kind.UNKNOWN_ARGUMENT},
                new Object[]{"missing-required", Kind.MISSING_REQUIRED},
                new Object[]{"wrong-nesting-block-as-attribute", Kind.WRONG_NESTING},
                new Object[]{"wrong-nesting-depth", Kind.WRONG_NESTING},
                new Object[]{"wrong-nesting-too-many-blocks", Kind.WRONG_NESTING},
                new Object[]{"read-only-argument", Kind.READ_ONLY_ARGUMENT},
                new Object[]{"undeclared-variable", Kind.UNDECLARED_VARIABLE},
                new Object[]{"undeclared-variable-in-heredoc", Kind.UNDECLARED_VARIABLE},
                new Object[]{"undeclared-variable-in-for", Kind.UNDECLARED_VARIABLE},
                new Object[]{"undeclared-local", Kind.UNDECLARED_LOCAL},
                new Object[]{"undeclared-resource", Kind.UNDECLARED_RESOURCE},
                new Object[]{"undeclared-data-source", Kind.UNDECLARED_DATA_SOURCE},
                new Object[]{"unknown-attribute", Kind.UNKNOWN_ATTRIBUTE},
                new Object[]{"unknown-reference", Kind.UNKNOWN_REFERENCE},
                new Object[]{"moved-from-declared", Kind.INVALID_MOVE},
                new Object[]{"moved-across-types", Kind.INVALID_MOVE},
                new Object[]{"moved-to-undeclared", Kind.UNDECLARED_RESOURCE});
    }

    private static SchemaValidator validator;

    private final String fixture;
    private final Kind expected;

    public SchemaValidatorFixturesTest(String fixture, Kind expected) {
        this.fixture = fixture;
        this.expected = expected;
    }

    @BeforeClass
    public static void loadSchema() throws Exception {
        validator = new SchemaValidator(ProviderSchema.load());
    }

    @Test
    public void findsExactlyTheDefectTheFixtureContains() throws Exception {
        List<Finding> findings = validator.validate(TfConfig.load(RepoPaths.fixture(fixture)));
        findings.forEach(f -> System.out.println(fixture + "/" + f));
        Set<Kind> kinds = findings.stream().map(Finding::kind).collect(Collectors.toSet());
        if (expected == null) {
            assertEquals("the valid fixture must pass: " + findings, Set.of(), kinds);
        } else {
            assertFalse(fixture + ": the defect was not found", findings.isEmpty());
            assertEquals(fixture + ": " + findings, Set.of(expected), kinds);
        }
    }
}
