package dev.datasync.shared.contract;

/**
 * The header names of source identity, the same on OCI and locally. Sources authenticate with
 * {@link #SOURCE_TOKEN}; the gateway, after verifying it, sets {@link #SOURCE_ID} itself (a caller's copy is replaced),
 * and the functions trust that header because only the gateway may invoke them. {@code Authorization} keeps carrying
 * the target's token.
 */
public final class SourceHeaders {

    /** A source application's credential (a JWT, optionally after {@code Bearer }). */
    public static final String SOURCE_TOKEN = "X-DataSync-Source-Token";
    /** The verified source id, set by the gateway only. */
    public static final String SOURCE_ID = "X-DataSync-Source-Id";
    /** The admin credential on {@code /stream/retry}. */
    public static final String ADMIN_TOKEN = "X-DataSync-Admin-Token";

    private SourceHeaders() {
    }
}
