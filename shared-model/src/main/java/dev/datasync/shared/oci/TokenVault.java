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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Callers' tokens in OCI Vault, one secret per {@code vaultSecretName}, bound to its token.
 * <ul>
 * <li>Content is base64 of the token (OCI rejects anything else; the reference stored the raw header).</li>
 * <li>Each secret records a salted SHA-256 fingerprint of its token in its metadata. The same name with another
 * token is a {@link StoreOutcome#CONFLICT} (a new token comes with a new name), so nobody can make a name they do
 * not hold the token of deliver their messages. A secret without our fingerprint is never adopted.</li>
 * <li>Same name and token again: no Vault write (the binding is cached per container).</li>
 * <li>Concurrent first requests for one name: one lookup/create per container (single flight), and a 409 from
 * another container's create is answered by reading the winner's binding.</li>
 * <li>Secrets get a SECRET_EXPIRY_RULE of {@code secret_expiry_days}.</li>
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
        CONFLICT
    }

    public enum VerifyOutcome { MATCH, MISMATCH, NOT_FOUND }

    static final String FINGERPRINT_KEY = "datasyncTokenFingerprint";
    private static final Duration BINDING_TTL = Duration.ofMinutes(10);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(5);
    private static final Set<SecretSummary.LifecycleState> GONE = Set.of(SecretSummary.LifecycleState.Deleted,
            SecretSummary.LifecycleState.Failed);
    private static final Set<SecretSummary.LifecycleState> LEAVING = Set.of(
            SecretSummary.LifecycleState.PendingDeletion, SecretSummary.LifecycleState.SchedulingDeletion,
            SecretSummary.LifecycleState.Deleting);

    private final Supplier<Vaults> vaults;
    private final Supplier<Secrets> secrets;
    private final VaultSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached<Binding>> bindings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<String>> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Binding>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<String>> readsInFlight = new ConcurrentHashMap<>();

    /** With suppliers such as {@code OciClients::vaults}, clients are built on first use, not before. */
    public TokenVault(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings, Clock clock) {
        this.vaults = vaults;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
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
            boolean same = TokenFingerprint.matches(b.fingerprint, token);
            if (!same) {
                return StoreOutcome.CONFLICT;
            }
            return b.created ? StoreOutcome.CREATED : StoreOutcome.ALREADY_BOUND;
        }
        throw new VaultUnavailableException("secret " + name + " could not be created or found", 0);
    }

    /** Whether {@code name} holds {@code token}, without creating anything. */
    public VerifyOutcome verify(String name, String token) {
        Binding b = binding(name, null);
        if (b == null) {
            return VerifyOutcome.NOT_FOUND;
        }
        return b.state == BindingState.BOUND && TokenFingerprint.matches(b.fingerprint, token)
                ? VerifyOutcome.MATCH : VerifyOutcome.MISMATCH;
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

    private enum BindingState { BOUND, UNUSABLE }

    /** What a name is bound to; {@code created}: this very call created the secret. */
    private record Binding(BindingState state, String fingerprint, boolean created) {
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
                return joined == null ? null : new Binding(joined.state, joined.fingerprint, false);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            Binding b = lookupOrCreate(name, tokenForCreate);
            if (b != null) {
                bindings.put(name, new Cached<>(new Binding(b.state, b.fingerprint, false),
                        clock.instant().plus(BINDING_TTL)));
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
        try {
            vaults.get().createSecret(CreateSecretRequest.builder().createSecretDetails(CreateSecretDetails.builder()
                    .compartmentId(settings.compartmentOcid())
                    .vaultId(settings.vaultOcid())
                    .keyId(settings.keyOcid())
                    .secretName(name)
                    .description("data-sync target token")
                    .metadata(Map.of(FINGERPRINT_KEY, fingerprint))
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
                    .build()).build());
            return new Binding(BindingState.BOUND, fingerprint, true);
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
                return new Binding(BindingState.UNUSABLE, null, false); // exists but cannot be seen: not ours
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
            if (LEAVING.contains(live.getLifecycleState())) {
                return new Binding(BindingState.UNUSABLE, null, false);
            }
            Secret secret = vaults.get().getSecret(GetSecretRequest.builder().secretId(live.getId()).build()).getSecret();
            Object fp = secret.getMetadata() == null ? null : secret.getMetadata().get(FINGERPRINT_KEY);
            if (!(fp instanceof String fingerprint)) {
                return new Binding(BindingState.UNUSABLE, null, false); // not created by us: never adopt it
            }
            return new Binding(BindingState.BOUND, fingerprint, false);
        } catch (BmcException e) {
            throw unavailable("ListSecrets/GetSecret", name, e);
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
