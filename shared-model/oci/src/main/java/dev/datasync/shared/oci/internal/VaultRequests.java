package dev.datasync.shared.oci.internal;

import com.oracle.bmc.model.BmcException;
import dev.datasync.shared.oci.VaultUnavailableException;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one place that says what a failed Vault or Secrets request means: an OCI answer the caller knows how to take
 * (a 404 for a secret that is gone, a 409 for a name taken) goes back to it as it is; anything else means Vault
 * cannot be used now ({@link VaultUnavailableException}, answered 503). Messages name the operation, the secret and
 * OCI's status and code, never request content (which may hold a token).
 */
public final class VaultRequests {

    private VaultRequests() {
    }

    /** Sends one request; every failure means Vault cannot be used now. */
    public static <T> T send(String operation, String secret, Supplier<T> request) {
        return send(operation, secret, request, answer -> false);
    }

    /**
     * Sends one request; an OCI answer {@code callerTakes} accepts is rethrown as it is, any other failure means
     * Vault cannot be used now.
     */
    public static <T> T send(String operation, String secret, Supplier<T> request, Predicate<BmcException> callerTakes) {
        try {
            return request.get();
        } catch (BmcException e) {
            if (callerTakes.test(e)) {
                throw e;
            }
            throw unavailable(operation, secret, e);
        } catch (RuntimeException e) {
            throw unavailable(operation, secret, e);
        }
    }

    private static VaultUnavailableException unavailable(String operation, String secret, RuntimeException e) {
        String why = e instanceof BmcException b ? "HTTP " + b.getStatusCode() + " " + b.getServiceCode()
                : e.getClass().getSimpleName();
        return new VaultUnavailableException(operation + " " + secret + " failed: " + why, status(e));
    }

    /** OCI's HTTP status of a failed request, 0 for a network or client failure. */
    public static int status(RuntimeException e) {
        return e instanceof BmcException b ? b.getStatusCode() : 0;
    }

    /** OCI's service code of a failed request, or the failure's type for a network or client failure. */
    public static String code(RuntimeException e) {
        return e instanceof BmcException b ? b.getServiceCode() : e.getClass().getSimpleName();
    }
}
