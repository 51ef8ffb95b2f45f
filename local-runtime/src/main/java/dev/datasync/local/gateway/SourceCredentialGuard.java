package dev.datasync.local.gateway;

import com.sun.net.httpserver.Headers;
import dev.datasync.local.identity.SourceTokenVerifier;
import dev.datasync.local.identity.Verification;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.log.LogFields;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /stream/sync}'s policy, what the OCI sync deployment's JWT authentication and usage plans do: a source
 * credential in {@code X-DataSync-Source-Token} (the JWT, or {@code Bearer <JWT>}), checked by
 * {@link SourceTokenVerifier}; then the source's rate limit. Admitted requests reach the function with
 * {@code X-DataSync-Source-Id} set to the verified source id — a caller's own copy is dropped — and without the
 * credential. The admin token is no source credential. Refusals are 401 (field {@code X-DataSync-Source-Token}, the
 * message says which check failed, never the value) and 429 with {@code Retry-After} (limit {@code ratePerSecond}).
 */
public final class SourceCredentialGuard implements RouteGuard {

    private static final RuntimeLog LOG = RuntimeLog.of("gateway");
    private static final Set<String> CONSUMED = Set.of(SourceHeaders.SOURCE_TOKEN.toLowerCase(Locale.ROOT),
            SourceHeaders.SOURCE_ID.toLowerCase(Locale.ROOT));

    private final SourceTokenVerifier verifier;
    private final AdminCredentialGuard admin;
    private final SourceRateLimits rates = new SourceRateLimits();
    private volatile String skipChecksAs;

    /** @param adminToken the stack's admin token, recognised only to be refused with the right reason */
    public SourceCredentialGuard(SourceTokenVerifier verifier, String adminToken) {
        this.verifier = verifier;
        this.admin = new AdminCredentialGuard(adminToken);
    }

    /**
     * For the benchmark that measures what these checks cost: with a source id, every request is admitted as that
     * source without a credential or a rate limit; with null, the checks apply again.
     */
    public void skipChecksAs(String sourceId) {
        skipChecksAs = sourceId;
    }

    @Override
    public Admission admit(Headers request) {
        String skipping = skipChecksAs;
        if (skipping != null) {
            return new Admission.Admitted(CONSUMED, Map.of(SourceHeaders.SOURCE_ID, skipping));
        }
        List<String> presented = request.get(SourceHeaders.SOURCE_TOKEN);
        if (presented != null && presented.size() > 1) {
            return refused("malformed source credential: send one " + SourceHeaders.SOURCE_TOKEN + " header");
        }
        String value = presented == null ? null : presented.get(0);
        if (admin.matches(value)) {
            return refused("wrong audience: the admin credential is not a source credential");
        }
        Verification v = verifier.verify(value);
        if (v instanceof Verification.Refused r) {
            return refused(r.reason());
        }
        var source = ((Verification.Verified) v).source();
        OptionalLong retryAfter = rates.acquire(source);
        if (retryAfter.isPresent()) {
            LOG.info("source_rate_limited", LogFields.SOURCE_ID, source.id(), LogFields.STATUS, 429);
            return new Admission.Refused(new GatewayError(429, "RateLimitExceeded", "source " + source.id()
                    + " is limited to " + source.ratePerSecond() + " requests per second; retry after "
                    + retryAfter.getAsLong() + " s", null, "ratePerSecond"),
                    Map.of("Retry-After", Long.toString(retryAfter.getAsLong())));
        }
        return new Admission.Admitted(CONSUMED, Map.of(SourceHeaders.SOURCE_ID, source.id()));
    }

    private static Admission refused(String reason) {
        LOG.info("source_refused", LogFields.STATUS, 401, LogFields.REASON, reason);
        return new Admission.Refused(GatewayError.unauthorized(SourceHeaders.SOURCE_TOKEN, reason),
                Map.of("WWW-Authenticate", "Bearer"));
    }
}
