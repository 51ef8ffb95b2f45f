package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import dev.datasync.shared.config.VaultSettings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Callers' tokens in OCI Vault, one secret per {@code vaultSecretName}, bound to its token.
 * <ul>
 * <li>Content is base64 of the token, the only secret content OCI accepts.</li>
 * <li>Each secret records a salted SHA-256 fingerprint of its token in its metadata. The same name with another
 * token is a {@link StoreOutcome#CONFLICT} (a new token comes with a new name), so nobody can make a name they do
 * not hold the token of deliver their messages. A secret without our fingerprint is never adopted.</li>
 * <li>Same name and token again: no Vault write (the binding is cached per container).</li>
 * <li>Concurrent first requests for one name: one lookup/create per container (single flight), and a 409 from
 * another container's create is answered by reading the winner's binding.</li>
 * <li>Secrets get a SECRET_EXPIRY_RULE of {@code secret_expiry_days} (version expiry; content stays readable).</li>
 * <li>A secret stays alive while it is used: a store records the use in the secret's metadata at most once per
 * {@link SecretLifecyclePolicy#touchInterval() touch interval} ({@link SecretUseRecorder}); unused ones are
 * scheduled for deletion by {@link SecretSweeper}. A store with the token of a secret pending deletion cancels the
 * deletion. A name Vault still reserves for a secret we cannot use (deleted, or outside our compartment) is
 * {@link StoreOutcome#NAME_UNAVAILABLE}.</li>
 * <li>Reading a token: cached per container for a few minutes; concurrent reads of one name on a cold cache share
 * one GetSecretBundleByName (single flight), and share its failure too.</li>
 * </ul>
 * Tokens never appear in logs, exceptions or messages of this class. Thread-safe; build one per container.
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

    public enum VerifyOutcome { MATCH, MISMATCH, NOT_FOUND }

    static final String FINGERPRINT_KEY = TokenSecretMetadata.FINGERPRINT_KEY;
    private static final Duration BINDING_TTL = Duration.ofMinutes(10);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(5);
    private static final Set<SecretSummary.LifecycleState> GONE = Set.of(SecretSummary.LifecycleState.Deleted,
            SecretSummary.LifecycleState.Failed);
    private static final Set<SecretSummary.LifecycleState> LEAVING = Set.of(
            SecretSummary.LifecycleState.PendingDeletion, SecretSummary.LifecycleState.SchedulingDeletion);

    private final Supplier<Vaults> vaults;
    private final Supplier<Secrets> secrets;
    private final VaultSettings settings;
    private final Clock clock;
    private final SecretLifecyclePolicy policy;
    private final SecretUseRecorder uses;
    private final ConcurrentHashMap<String, Cached<Binding>> bindings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<String>> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Binding>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<String>> readsInFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Instant>> usesInFlight = new ConcurrentHashMap<>();

    /** With suppliers such as {@code OciClients::vaults}, clients are built on first use, not before. */
    public TokenVault(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings, Clock clock) {
        this.vaults = vaults;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
        this.policy = SecretLifecyclePolicy.of(settings);
        this.uses = new SecretUseRecorder(vaults, policy, clock);
    }

    public TokenVault(Vaults vaults, Secrets secrets, VaultSettings settings) {
        this(() -> vaults, () -> secrets, settings, Clock.systemUTC());
    }

    public TokenVault(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings) {
        this(vaults, secrets, settings, Clock.systemUTC());
    }

    /**
     * Makes {@code name} hold {@code token}, or reports that it holds another one.
     * @throws VaultUnavailableException when Vault cannot be used now (answer 503)
     */
    public StoreOutcome store(String name, String token) {
        for (int round = 0; round < 3; round++) {
            Binding b = binding(name, token);
            if (b == null) {
                continue; // joined a verify-only lookup that found nothing: look again, now creating
            }
            if (b.state == BindingState.UNUSABLE) {
                return StoreOutcome.CONFLICT;
            }
            if (b.state == BindingState.NAME_UNAVAILABLE) {
                return StoreOutcome.NAME_UNAVAILABLE;
            }
            boolean same = TokenFingerprint.matches(b.fingerprint, token);
            if (!same) {
                return StoreOutcome.CONFLICT;
            }
            if (b.created) {
                return StoreOutcome.CREATED; // created with the use recorded
            }
            try {
                keepAlive(name, b);
            } catch (SecretGoneException e) {
                bindings.remove(name);
                continue; // deleted under us: look the name up again (it may be free for a new secret)
            }
            return StoreOutcome.ALREADY_BOUND;
        }
        throw new VaultUnavailableException("secret " + name + " could not be created or found", 0);
    }

    /**
     * Records this use unless a recent one is recorded, restoring a secret pending deletion first. Without a
     * recorded use the sweeper could delete the secret while messages accepted now still need it, so a failure
     * here fails the request (503), it is not ignored. One recording per name at a time in this container.
     */
    private void keepAlive(String name, Binding b) {
        if (b.state == BindingState.BOUND && !policy.touchDue(b.lastUsed, clock.instant())) {
            return;
        }
        CompletableFuture<Instant> mine = new CompletableFuture<>();
        CompletableFuture<Instant> running = usesInFlight.putIfAbsent(name, mine);
        if (running != null) {
            try {
                running.join();
                return;
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            Instant recorded = uses.recordUse(b.secretId);
            bindings.put(name, new Cached<>(new Binding(BindingState.BOUND, b.fingerprint, b.secretId, recorded,
                    false), clock.instant().plus(BINDING_TTL)));
            mine.complete(recorded);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            usesInFlight.remove(name, mine);
        }
    }

    /** Whether {@code name} holds {@code token}, without creating anything. */
    public VerifyOutcome verify(String name, String token) {
        Binding b = binding(name, null);
        if (b == null) {
            return VerifyOutcome.NOT_FOUND;
        }
        boolean holds = b.state == BindingState.BOUND || b.state == BindingState.PENDING_DELETION;
        return holds && TokenFingerprint.matches(b.fingerprint, token) ? VerifyOutcome.MATCH : VerifyOutcome.MISMATCH;
    }

    /**
     * The token held by {@code name} (cached for a few minutes: the delivering functions read it per message).
     * @throws SecretNotFoundException when there is no such secret (the message can never be delivered)
     * @throws VaultUnavailableException when Secrets cannot be used now
     */
    public String read(String name) {
        String cached = cachedToken(name);
        if (cached != null) {
            return cached;
        }
        // single flight, as for store: a batch often holds many messages naming one secret, and on a cold cache
        // they all ask at once; one GetSecretBundleByName answers all of them (fewer Secrets calls, no throttling)
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = readsInFlight.putIfAbsent(name, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            // a read that finished between our cache check and putIfAbsent has filled the cache already
            String token = cachedToken(name);
            if (token == null) {
                token = fetchToken(name);
                tokens.put(name, new Cached<>(token, clock.instant().plus(TOKEN_TTL)));
            }
            mine.complete(token);
            return token;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            readsInFlight.remove(name, mine);
        }
    }

    private String cachedToken(String name) {
        Cached<String> c = tokens.get(name);
        return c != null && c.expires.isAfter(clock.instant()) ? c.value : null;
    }

    /** One GetSecretBundleByName, decoded. */
    private String fetchToken(String name) {
        SecretBundleContentDetails content;
        try {
            content = secrets.get().getSecretBundleByName(GetSecretBundleByNameRequest.builder()
                    .secretName(name).vaultId(settings.vaultOcid()).build()).getSecretBundle().getSecretBundleContent();
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                throw new SecretNotFoundException(name);
            }
            throw unavailable("GetSecretBundleByName", name, e);
        } catch (RuntimeException e) {
            throw new VaultUnavailableException("GetSecretBundleByName " + name + " failed: "
                    + e.getClass().getSimpleName(), 0);
        }
        if (!(content instanceof Base64SecretBundleContentDetails b64) || b64.getContent() == null) {
            throw new SecretNotFoundException(name);
        }
        try {
            return new String(Base64.getDecoder().decode(b64.getContent()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SecretNotFoundException(name); // not a token we wrote (content is not base64)
        }
    }

    // ---- binding lookup / creation --------------------------------------------------------------------------

    private enum BindingState {
        /** our secret, usable */
        BOUND,
        /** our secret, scheduled for deletion: a store with its token restores it */
        PENDING_DELETION,
        /** a secret that is not ours */
        UNUSABLE,
        /** Vault refuses the name, yet no secret of ours holds it */
        NAME_UNAVAILABLE
    }

    /**
     * What a name is bound to; {@code lastUsed}: the recorded last use; {@code created}: this very call created
     * the secret.
     */
    private record Binding(BindingState state, String fingerprint, String secretId, Instant lastUsed,
                           boolean created) {
        Binding notCreated() {
            return new Binding(state, fingerprint, secretId, lastUsed, false);
        }
    }

    private record Cached<T>(T value, Instant expires) {
    }

    /** The binding of {@code name}; creates the secret with {@code tokenForCreate} when absent (if non-null). */
    private Binding binding(String name, String tokenForCreate) {
        Cached<Binding> cached = bindings.get(name);
        if (cached != null && cached.expires.isAfter(clock.instant())) {
            return cached.value;
        }
        CompletableFuture<Binding> mine = new CompletableFuture<>();
        CompletableFuture<Binding> running = inFlight.putIfAbsent(name, mine);
        if (running != null) {
            try {
                Binding joined = running.join();
                // a joined creation was made with another request's token: never report CREATED to this caller
                return joined == null ? null : joined.notCreated();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            Binding b = lookupOrCreate(name, tokenForCreate);
            if (b != null) {
                bindings.put(name, new Cached<>(b.notCreated(), clock.instant().plus(BINDING_TTL)));
            }
            mine.complete(b);
            return b;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(name, mine);
        }
    }

    private Binding lookupOrCreate(String name, String tokenForCreate) {
        Binding existing = lookup(name);
        if (existing != null || tokenForCreate == null) {
            return existing;
        }
        String fingerprint = TokenFingerprint.create(tokenForCreate);
        Instant now = clock.instant();
        try {
            Secret created = vaults.get().createSecret(CreateSecretRequest.builder().createSecretDetails(CreateSecretDetails.builder()
                    .compartmentId(settings.compartmentOcid())
                    .vaultId(settings.vaultOcid())
                    .keyId(settings.keyOcid())
                    .secretName(name)
                    .description("data-sync target token")
                    .metadata(TokenSecretMetadata.forNewSecret(fingerprint, now))
                    .secretContent(Base64SecretContentDetails.builder()
                            .content(Base64.getEncoder().encodeToString(
                                    tokenForCreate.getBytes(StandardCharsets.UTF_8)))
                            .build())
                    .secretRules(List.of(SecretExpiryRule.builder()
                            .secretVersionExpiryInterval("P" + settings.secretExpiryDays() + "D")
                            // expiry marks the version for clean-up; it must not strand messages still in
                            // error streams that are replayed later
                            .isSecretContentRetrievalBlockedOnExpiry(false)
                            .build()))
                    .build()).build()).getSecret();
            return new Binding(BindingState.BOUND, fingerprint, created.getId(), now, true);
        } catch (BmcException e) {
            if (isNameTaken(e)) {
                // another container created it first: its binding decides
                for (int i = 0; i < 3; i++) {
                    Binding winner = lookup(name);
                    if (winner != null) {
                        return winner;
                    }
                    sleep(100L * (i + 1));
                }
                // taken, yet no live secret of that name in our compartment: a deleted secret whose name Vault
                // still reserves, or a secret in another compartment of the vault
                return new Binding(BindingState.NAME_UNAVAILABLE, null, null, null, false);
            }
            throw unavailable("CreateSecret", name, e);
        } catch (RuntimeException e) {
            throw new VaultUnavailableException("CreateSecret " + name + " failed: " + e.getClass().getSimpleName(),
                    0);
        }
    }

    /**
     * OCI documents 409 for a duplicate secret name, but users report real Vault answering
     * {@code 400 InvalidParameter "... already exists"} too; both mean "someone else created it", never "Vault is down".
     */
    static boolean isNameTaken(BmcException e) {
        if (e.getStatusCode() == 409) {
            return true;
        }
        String message = e.getMessage();
        return e.getStatusCode() == 400 && "InvalidParameter".equals(e.getServiceCode())
                && message != null && message.toLowerCase(java.util.Locale.ROOT).contains("already exists");
    }

    /** Reads the binding of an existing secret, or null when no live secret has that name. */
    private Binding lookup(String name) {
        try {
            List<SecretSummary> found = vaults.get().listSecrets(ListSecretsRequest.builder()
                    .compartmentId(settings.compartmentOcid())
                    .vaultId(settings.vaultOcid())
                    .name(name)
                    .build()).getItems();
            SecretSummary live = null;
            for (SecretSummary s : found == null ? List.<SecretSummary>of() : found) {
                if (name.equals(s.getSecretName()) && !GONE.contains(s.getLifecycleState())) {
                    live = s;
                }
            }
            if (live == null) {
                return null;
            }
            if (live.getLifecycleState() == SecretSummary.LifecycleState.Deleting) {
                throw new VaultUnavailableException("secret " + name + " is being deleted", 409);
            }
            Secret secret = vaults.get().getSecret(GetSecretRequest.builder().secretId(live.getId()).build()).getSecret();
            String fingerprint = TokenSecretMetadata.fingerprint(secret.getMetadata());
            if (fingerprint == null) {
                return new Binding(BindingState.UNUSABLE, null, null, null, false); // not created by us: never adopt it
            }
            Instant lastUsed = TokenSecretMetadata.lastUsed(secret.getMetadata(), secret.getTimeCreated());
            BindingState state = LEAVING.contains(live.getLifecycleState()) ? BindingState.PENDING_DELETION
                    : BindingState.BOUND;
            return new Binding(state, fingerprint, secret.getId(), lastUsed, false);
        } catch (BmcException e) {
            throw unavailable("ListSecrets/GetSecret", name, e);
        } catch (VaultUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new VaultUnavailableException("ListSecrets/GetSecret " + name + " failed: "
                    + e.getClass().getSimpleName(), 0);
        }
    }

    private static VaultUnavailableException unavailable(String op, String name, BmcException e) {
        return new VaultUnavailableException(op + " " + name + " failed: HTTP " + e.getStatusCode() + " "
                + e.getServiceCode(), e.getStatusCode());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
