package dev.datasync.shared.oci;

import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.vault.Vaults;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.oci.internal.SecretBinding;
import dev.datasync.shared.oci.internal.SecretBindings;
import dev.datasync.shared.oci.internal.SecretGoneException;
import dev.datasync.shared.oci.internal.SecretLifecyclePolicy;
import dev.datasync.shared.oci.internal.SecretNotFoundException;
import dev.datasync.shared.oci.internal.SecretUseRecorder;
import dev.datasync.shared.oci.internal.SingleFlightCache;
import dev.datasync.shared.oci.internal.TokenBindingPolicy;
import dev.datasync.shared.oci.internal.TokenReader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Callers' tokens in OCI Vault, one secret per {@code vaultSecretName}, bound to its token.
 * <ul>
 * <li>Binding: the same name with another token is a {@link StoreOutcome#CONFLICT}; a secret without our fingerprint
 * is never adopted ({@link TokenBindingPolicy}). Content is base64 of the token, with a SECRET_EXPIRY_RULE of
 * {@code secret_expiry_days} ({@link SecretBindings}).</li>
 * <li>Same name and token again: no Vault write (the binding is cached per container).</li>
 * <li>Concurrent first requests for one name: one lookup/create per container, and a 409 from another container's
 * create is answered by reading the winner's binding.</li>
 * <li>A secret stays alive while it is used: a store records the use in the secret's metadata at most once per
 * touch interval ({@link SecretUseRecorder}, one recording per name at a time); unused ones are scheduled for
 * deletion by {@link SecretSweeper}. A store with the token of a secret pending deletion cancels the deletion. A
 * name Vault still reserves for a secret we cannot use is {@link StoreOutcome#NAME_UNAVAILABLE}.</li>
 * <li>Reading a token: cached per container for a few minutes; concurrent reads of one name on a cold cache share
 * one GetSecretBundleByName, and share its failure too.</li>
 * </ul>
 * The per-container caches load once per name at a time ({@link SingleFlightCache}): a batch often holds many
 * messages naming one secret, and on a cold cache they all ask at once. Tokens never appear in logs, exceptions or
 * messages of this class. Thread-safe; build one per container.
 */
public final class TokenVault {

    public enum StoreOutcome {
        /** a new secret now holds the token */
        CREATED,
        /** the name already holds this very token (nothing written) */
        ALREADY_BOUND,
        /** the name holds another token, or is not ours to bind */
        CONFLICT,
        /** Vault reserves the name for a secret we cannot see or use (deleted, or in another compartment) */
        NAME_UNAVAILABLE
    }

    /**
     * The largest token stored, in bytes of its base64 form (the content Vault is sent): OCI Vault's 25 KB limit on a
     * secret's content, whichever of the encoded or decoded form it is applied to.
     */
    public static final int MAX_TOKEN_BASE64_BYTES = 25 * 1024;

    private static final Duration BINDING_TTL = Duration.ofMinutes(10);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(5);
    private static final int STORE_ROUNDS = 3;

    private final Clock clock;
    private final TokenBindingPolicy policy;
    private final SecretBindings vaultBindings;
    private final SecretUseRecorder uses;
    private final TokenReader tokenReader;
    private final SingleFlightCache<String, SecretBinding> bindings;
    private final SingleFlightCache<String, Instant> recordings;
    private final SingleFlightCache<String, String> tokens;

    /** With suppliers such as {@code OciClients::vaults}, clients are built on first use, not before. */
    public TokenVault(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings, Clock clock) {
        SecretLifecyclePolicy lifecycle = SecretLifecyclePolicy.of(settings);
        this.clock = clock;
        this.policy = new TokenBindingPolicy(lifecycle);
        this.vaultBindings = new SecretBindings(vaults, settings, clock);
        this.uses = new SecretUseRecorder(vaults, lifecycle, clock);
        this.tokenReader = new TokenReader(secrets, settings);
        // a creation made for one call's token is reported CREATED to that call alone
        this.bindings = new SingleFlightCache<>(BINDING_TTL, clock, SecretBinding::notCreated);
        this.recordings = new SingleFlightCache<>(Duration.ZERO, clock);
        this.tokens = new SingleFlightCache<>(TOKEN_TTL, clock);
    }

    public TokenVault(Vaults vaults, Secrets secrets, VaultSettings settings) {
        this(() -> vaults, () -> secrets, settings, Clock.systemUTC());
    }

    public TokenVault(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings) {
        this(vaults, secrets, settings, Clock.systemUTC());
    }

    /** Whether a token fits in a secret ({@link #MAX_TOKEN_BASE64_BYTES}). */
    public static boolean fits(String token) {
        long utf8 = token.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return 4 * ((utf8 + 2) / 3) <= MAX_TOKEN_BASE64_BYTES;
    }

    /**
     * Whether a live secret holds {@code name} (ours or not), so that a store under it creates no secret. A name
     * found is kept like a store's binding; a name not found is looked up again by the store that creates it.
     * @throws VaultUnavailableException when Vault cannot be used now
     */
    public boolean exists(String name) {
        if (bindings.peek(name) != null) {
            return true;
        }
        SecretBinding found = vaultBindings.lookup(name);
        if (found != null) {
            bindings.put(name, found.notCreated());
        }
        return found != null;
    }

    /**
     * Whether {@code name} holds a token this service stored, for a message that names its source's secret and brings
     * no token (a line of a bulk file). The use is recorded as a store records it — the sweeper keeps the secret
     * while such messages may still need it, and a secret pending deletion is restored — so a failure to record is a
     * {@link VaultUnavailableException}, never a "yes".
     * @throws VaultUnavailableException when Vault cannot be used now
     */
    public boolean useStored(String name) {
        for (int round = 0; round < STORE_ROUNDS; round++) {
            SecretBinding binding = exists(name) ? bindings.peek(name) : null;
            if (binding == null || !(binding.state() == SecretBinding.State.BOUND
                    || binding.state() == SecretBinding.State.PENDING_DELETION)) {
                return false;
            }
            try {
                keepAlive(name, binding);
                return true;
            } catch (SecretGoneException e) {
                bindings.invalidate(name); // deleted under us: look again
            }
        }
        return false;
    }

    /**
     * Makes {@code name} hold {@code token}, or reports that it holds another one.
     * @throws TokenRefusedException when Vault refuses the token itself (answer 400)
     * @throws VaultUnavailableException when Vault cannot be used now (answer 503)
     */
    public StoreOutcome store(String name, String token) {
        for (int round = 0; round < STORE_ROUNDS; round++) {
            SecretBinding binding = bindings.get(name, () -> vaultBindings.lookupOrCreate(name, token));
            StoreOutcome outcome = policy.outcome(binding, token);
            if (outcome != StoreOutcome.ALREADY_BOUND) {
                return outcome;
            }
            try {
                keepAlive(name, binding);
                return outcome;
            } catch (SecretGoneException e) {
                bindings.invalidate(name); // deleted under us: look the name up again (it may be free now)
            }
        }
        throw new VaultUnavailableException("secret " + name + " could not be created or found", 0);
    }

    /**
     * Records this use unless a recent one is recorded, restoring a secret pending deletion first. Without a
     * recorded use the sweeper could delete the secret while messages accepted now still need it, so a failure
     * here fails the request (503), it is not ignored.
     */
    private void keepAlive(String name, SecretBinding binding) {
        if (!policy.useToRecord(binding, clock.instant())) {
            return;
        }
        recordings.get(name, () -> {
            Instant recorded = uses.recordUse(binding.secretId());
            bindings.put(name, binding.usedAt(recorded));
            return recorded;
        });
    }

    /**
     * The token held by {@code name} (cached for a few minutes: the delivering functions read it per message).
     * @throws SecretNotFoundException when there is no such secret (the message can never be delivered)
     * @throws VaultUnavailableException when Secrets cannot be used now
     */
    public String read(String name) {
        return tokens.get(name, () -> tokenReader.read(name));
    }
}
