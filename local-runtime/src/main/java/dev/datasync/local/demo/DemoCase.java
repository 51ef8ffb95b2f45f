package dev.datasync.local.demo;

/**
 * One scripted sync request of the demo. {@code targetPath} is a path on the sample target, or a full URL;
 * {@code expectedStream} is the error stream it should first land in (null = delivered at once, "rejected" =
 * refused by /stream/sync); {@code recoverable} says whether retry should deliver it once the target heals.
 */
public record DemoCase(String name, String operation, String targetPath, String expectedStream, boolean recoverable) {

    public static final String REJECTED = "rejected";

    public String secretName() {
        return "demo-" + name;
    }

    public String token() {
        return "Bearer demo-token-" + name;
    }
}
