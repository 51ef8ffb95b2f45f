package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.oci.internal.SecretBindings;
import dev.datasync.shared.oci.internal.SecretNotFoundException;
import dev.datasync.shared.oci.internal.TokenSecretMetadata;
import dev.datasync.shared.testing.AtOnce;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

public class TokenVaultTest {

    static final VaultSettings SETTINGS = new VaultSettings("ocid1.vault.oc1..v", "ocid1.compartment.oc1..c",
            "ocid1.key.oc1..k", 7);
    static final String TOKEN = "Bearer eyJhbGciOiJIUzI1NiJ9.secret-token-value";

    InMemoryVault oci;
    TokenVault vault;

    @Before
    public void setUp() {
        oci = new InMemoryVault();
        vault = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
    }

    /** Regression (reference): the secret content was the raw header, which OCI rejects; it must be base64. */
    @Test
    public void storesBase64ContentWithFingerprintAndExpiryRule() {
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store("789", TOKEN));
        InMemoryVault.Stored s = oci.byName.get("789");
        assertEquals(TOKEN, new String(Base64.getDecoder().decode(s.content()), StandardCharsets.UTF_8));
        String fp = (String) s.metadata().get(TokenSecretMetadata.FINGERPRINT_KEY);
        assertTrue(fp.startsWith("sha256:"));
        assertFalse("the fingerprint must not contain the token", fp.contains("secret-token-value"));
        assertFalse(s.details().getDescription().contains("secret-token"));
        assertEquals("ocid1.key.oc1..k", s.details().getKeyId());
        assertEquals("ocid1.vault.oc1..v", s.details().getVaultId());
        assertEquals("ocid1.compartment.oc1..c", s.details().getCompartmentId());
        SecretExpiryRule rule = (SecretExpiryRule) s.details().getSecretRules().get(0);
        assertEquals("P7D", rule.getSecretVersionExpiryInterval());
    }

    @Test
    public void sameTokenAgainWritesNothing() {
        vault.store("789", TOKEN);
        int lists = oci.lists.get();
        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, vault.store("789", TOKEN));
        assertEquals(1, oci.creates.get());
        assertEquals("cached: no Vault call at all", lists, oci.lists.get());
        // another container (fresh cache) reads the binding instead of writing
        TokenVault other = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, other.store("789", TOKEN));
        assertEquals(1, oci.creates.get());
    }

    /** Regression (reference): a changed token was silently ignored; now the same name + another token conflicts. */
    @Test
    public void differentTokenForAnExistingNameIsAConflict() {
        vault.store("789", TOKEN);
        assertEquals(TokenVault.StoreOutcome.CONFLICT, vault.store("789", "Bearer other"));
        TokenVault other = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
        assertEquals(TokenVault.StoreOutcome.CONFLICT, other.store("789", "Bearer other"));
        assertEquals(TOKEN, other.read("789"));
    }

    /** Regression (reference): anyone who knew a name could use someone else's token; a foreign secret is never adopted. */
    @Test
    public void aSecretWithoutOurBindingIsNeverAdopted() {
        oci.putForeign("legacy", Base64.getEncoder().encodeToString("Basic abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals(TokenVault.StoreOutcome.CONFLICT, vault.store("legacy", "Basic abc"));
        TokenVault other = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
        assertEquals("its content is the token, yet it does not hold it for us", TokenVault.StoreOutcome.CONFLICT,
                other.store("legacy", "Basic abc"));
        assertEquals(0, oci.creates.get());
    }

    @Test
    public void aNameHoldsExactlyTheTokenStoredUnderIt() {
        try {
            vault.read("nope");
            fail();
        } catch (SecretNotFoundException expected) {
            assertEquals("reading creates nothing", 0, oci.creates.get());
        }
        vault.store("789", TOKEN);
        TokenVault other = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, other.store("789", TOKEN));
        assertEquals(TokenVault.StoreOutcome.CONFLICT, other.store("789", TOKEN + "x"));
        assertEquals(1, oci.creates.get());
    }

    /** Regression (reference): check-then-create raced; concurrent first requests must create exactly once. */
    @Test
    public void concurrentFirstRequestsCreateOnce() throws Exception {
        oci.createDelayMs = 50;
        int created = 0;
        for (Object o : AtOnce.run(16, i -> vault.store("race", TOKEN))) {
            assertTrue(o + "", o == TokenVault.StoreOutcome.CREATED || o == TokenVault.StoreOutcome.ALREADY_BOUND);
            created += o == TokenVault.StoreOutcome.CREATED ? 1 : 0;
        }
        assertEquals(1, created);
        assertEquals(1, oci.creates.get());
    }

    /** Two containers racing: the loser's CreateSecret gets 409 and reads the winner's binding. */
    @Test
    public void conflictFromAnotherContainerIsResolvedByReading() throws Exception {
        oci.createDelayMs = 100;
        List<TokenVault> containers = List.of(new TokenVault(oci.vaults(), oci.secrets(), SETTINGS),
                new TokenVault(oci.vaults(), oci.secrets(), SETTINGS));
        List<Object> outcomes = AtOnce.run(2, i -> containers.get(i).store("shared", TOKEN));
        assertTrue(outcomes.toString(), outcomes.contains(TokenVault.StoreOutcome.CREATED));
        assertTrue(outcomes.toString(), outcomes.contains(TokenVault.StoreOutcome.ALREADY_BOUND)
                || oci.creates.get() == 1);
        assertEquals(1, oci.byName.size());
        // and a racing different token loses with a conflict, never overwriting
        TokenVault c = new TokenVault(oci.vaults(), oci.secrets(), SETTINGS);
        assertEquals(TokenVault.StoreOutcome.CONFLICT, c.store("shared", "Bearer intruder"));
    }

    @Test
    public void readDecodesAndCaches() {
        vault.store("789", TOKEN);
        assertEquals(TOKEN, vault.read("789"));
        assertEquals(TOKEN, vault.read("789"));
        assertEquals(1, oci.bundleReads.get());
        try {
            vault.read("missing");
            fail();
        } catch (SecretNotFoundException expected) {
            // a message naming a missing secret can never be delivered
        }
    }

    @Test
    public void vaultFailuresAreUnavailableAndNeverCarryTheToken() {
        oci.failStatus = 500;
        try {
            vault.store("789", TOKEN);
            fail();
        } catch (VaultUnavailableException e) {
            assertEquals(500, e.status());
            assertFalse(e.getMessage().contains("secret-token"));
        }
        oci.failStatus = 0;
        assertEquals("a failure is not cached", TokenVault.StoreOutcome.CREATED, vault.store("789", TOKEN));
    }

    @Test
    public void aDuplicateNameIsRecognisedWhetherVaultSays409Or400AlreadyExists() {
        assertTrue(SecretBindings.isNameTaken(new BmcException(409, "Conflict", "secret name exists", "req")));
        assertTrue(SecretBindings.isNameTaken(
                new BmcException(400, "InvalidParameter", "secret name already exists", "req")));
        assertFalse(SecretBindings.isNameTaken(new BmcException(400, "InvalidParameter", "content is not base64", "req")));
        assertFalse(SecretBindings.isNameTaken(new BmcException(500, "InternalServerError", "already exists", "req")));
    }
}
