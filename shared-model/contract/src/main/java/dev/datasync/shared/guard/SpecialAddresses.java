package dev.datasync.shared.guard;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses a target may only use when an IP-literal or CIDR allow-list entry covers them: anything that reaches the function's
 * own host, its private network or the cloud metadata service (169.254.169.254 is link-local).
 */
final class SpecialAddresses {

    private SpecialAddresses() {
    }

    /** Why the address is special, or null for an ordinary public address. */
    static String kind(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            Inet4Address embedded = embeddedV4(v6);
            if (embedded != null) {
                String k = kind(embedded);
                return k != null ? k : null;
            }
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            byte[] b = a.getAddress();
            return b.length == 4 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254 ? "metadata" : "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 0) {
                return "unspecified";
            }
            if (b0 == 100 && b1 >= 64 && b1 <= 127) {
                return "private"; // carrier-grade NAT 100.64.0.0/10
            }
            if (b0 == 198 && (b1 == 18 || b1 == 19)) {
                return "private"; // benchmarking 198.18.0.0/15
            }
            if (b0 >= 240) {
                return "reserved"; // 240.0.0.0/4 and broadcast
            }
            if (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) {
                return "reserved"; // 192.0.0.0/24 IETF protocol assignments
            }
        } else {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return "private"; // unique local fc00::/7
            }
            if (b0 == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return "private"; // deprecated site-local fec0::/10
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible, -mapped, NAT64 (64:ff9b::/96) or 6to4 address, else null. */
    private static Inet4Address embeddedV4(Inet6Address v6) {
        byte[] b = v6.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !v6.isLoopbackAddress() && !v6.isAnyLocalAddress();
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        try {
            if (mapped || compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4 2002:AABB:CCDD::/48
                return (Inet4Address) InetAddress.getByAddress(new byte[]{b[2], b[3], b[4], b[5]});
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for a 4-byte array
        }
        return null;
    }
}
