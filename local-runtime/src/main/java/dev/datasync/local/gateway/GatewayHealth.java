package dev.datasync.local.gateway;

/**
 * What {@code GET /health} answers: 200 {@code {"status":"ready"}} only when everything behind the gateway is up,
 * else 503 with the status saying what is not ({@code starting}, {@code local-oci-unavailable}, …).
 */
public record GatewayHealth(boolean ok, String status) {

    public static final GatewayHealth READY = new GatewayHealth(true, "ready");
    public static final GatewayHealth STARTING = new GatewayHealth(false, "starting");
}
