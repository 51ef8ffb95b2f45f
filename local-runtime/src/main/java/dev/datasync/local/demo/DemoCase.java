package dev.datasync.local.demo;

/**
 * One scripted sync request of the demo. {@code targetPath} is a path on the sample target, or a full URL;
 * {@code expectedStream} is the error stream it should first land in (null = delivered at once, "rejected" =
 * refused by /stream/sync); {@code recoverable} says whether retry should deliver it once the target heals;
 * {@code withCredential} whether it carries the source credential (without one the gateway refuses it, 401).
 */
public record DemoCase(String name, String operation, String targetPath, String expectedStream, boolean recoverable,
                       boolean withCredential) {

    public static final String REJECTED = "rejected";

    public DemoCase(String name, String operation, String targetPath, String expectedStream, boolean recoverable) {
        this(name, operation, targetPath, expectedStream, recoverable, true);
    }

    /** The status /stream/sync answers a case that is to be rejected: 401 without a credential, else 400. */
    public int rejectionStatus() {
        return withCredential ? 400 : 401;
    }

    public String secretName() {
        return "demo-" + name;
    }

    public String token() {
        return "Bearer demo-token-" + name;
    }
}
