package dev.datasync.shared.guard;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.TargetAllowlist;
import dev.datasync.shared.guard.internal.HostResolver;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class TargetGuardTest {

    /** A scripted DNS: no test depends on the machine's resolver. */
    static final class FakeDns implements HostResolver {
        final Map<String, List<InetAddress>> records = new HashMap<>();
        final List<String> lookups = new ArrayList<>();

        FakeDns add(String host, String... ips) throws UnknownHostException {
            List<InetAddress> list = new ArrayList<>();
            for (String ip : ips) {
                list.add(InetAddress.getByName(ip));
            }
            records.put(host, list);
            return this;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            lookups.add(host);
            List<InetAddress> r = records.get(host);
            if (r == null) {
                throw new UnknownHostException(host);
            }
            return r;
        }
    }

    static TargetGuard guard(String allowlist, boolean http, HostResolver dns) {
        Map<String, String> m = TestConfigs.with("target_allowlist", allowlist);
        m.put("allow_http_targets", Boolean.toString(http));
        TargetAllowlist a = DataSyncConfig.from(m).targets();
        return new TargetGuard(a, dns);
    }

    static TargetGuard guard(String allowlist, String denylist, boolean http, HostResolver dns) {
        Map<String, String> m = TestConfigs.with("target_allowlist", allowlist);
        m.put("target_denylist", denylist);
        m.put("allow_http_targets", Boolean.toString(http));
        return new TargetGuard(DataSyncConfig.from(m).targets(), dns);
    }

    static void expect(Verdict.Outcome outcome, Verdict v) {
        assertEquals(v.detail(), outcome, v.outcome());
    }

    @Test
    public void emptyAllowlistRefusesEverything() throws Exception {
        FakeDns dns = new FakeDns().add("orders.example.com", "93.184.216.34");
        TargetGuard g = new TargetGuard(new TargetAllowlist(List.of(), false), dns);
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://orders.example.com/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://93.184.216.34/x"));
    }

    @Test
    public void exactHostAndHostPort() throws Exception {
        FakeDns dns = new FakeDns().add("orders.example.com", "93.184.216.34").add("api.example.com", "93.184.216.35");
        TargetGuard g = guard("orders.example.com,api.example.com:8443", false, dns);
        expect(Verdict.Outcome.ALLOWED, g.check("https://orders.example.com/api/latest/orders"));
        expect(Verdict.Outcome.ALLOWED, g.check("https://ORDERS.example.com:9999/x"));
        expect(Verdict.Outcome.ALLOWED, g.check("https://orders.example.com./x"));
        expect(Verdict.Outcome.ALLOWED, g.check("https://api.example.com:8443/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://api.example.com/x")); // 443 is not 8443
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://evil.orders.example.com.attacker.net/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://sub.orders.example.com/x"));
    }

    @Test
    public void wildcardMatchesSubdomainsWithPublicAddressesOnly() throws Exception {
        FakeDns dns = new FakeDns()
                .add("a.example.org", "93.184.216.34")
                .add("deep.b.example.org", "2606:2800:220:1:248:1893:25c8:1946")
                .add("internal.example.org", "10.0.0.5")
                .add("meta.example.org", "169.254.169.254")
                .add("mixed.example.org", "93.184.216.34", "127.0.0.1")
                .add("mapped.example.org", "::ffff:127.0.0.1")
                .add("ula.example.org", "fd12:3456::1")
                .add("example.org", "93.184.216.34")
                .add("badexample.org", "93.184.216.34");
        TargetGuard g = guard("*.example.org", false, dns);
        expect(Verdict.Outcome.ALLOWED, g.check("https://a.example.org/x"));
        expect(Verdict.Outcome.ALLOWED, g.check("https://deep.b.example.org/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check("https://internal.example.org/x"));
        Verdict meta = g.check("https://meta.example.org/latest/meta-data");
        expect(Verdict.Outcome.SPECIAL_ADDRESS, meta);
        assertTrue(meta.detail(), meta.detail().contains("metadata"));
        // every resolved address is checked, not only the first
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check("https://mixed.example.org/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check("https://mapped.example.org/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check("https://ula.example.org/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://example.org/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, g.check("https://badexample.org/x"));
        expect(Verdict.Outcome.UNRESOLVABLE, g.check("https://nowhere.example.org/x"));
    }

    @Test
    public void specialAddressesAreRefusedUnlessAnExactEntryNamesThem() throws Exception {
        FakeDns dns = new FakeDns().add("localhost", "127.0.0.1", "::1");
        TargetGuard none = guard("*.example.org", true, dns);
        for (String url : new String[]{"http://127.0.0.1:8080/x", "http://localhost:8080/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/x", "http://192.168.1.1/x",
                "http://172.16.0.1/x", "http://0.0.0.0/x", "http://[fe80::1]/x", "http://[::ffff:169.254.169.254]/x",
                "http://100.64.0.1/x"}) {
            Verdict v = none.check(url);
            assertTrue(url + " -> " + v, !v.allowed());
        }
        expect(Verdict.Outcome.ALLOWED, guard("127.0.0.1", true, dns).check("http://127.0.0.1:8080/x"));
        // a name entry admits the name; its loopback addresses need IP-literal (or CIDR) entries too
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("localhost:8080", true, dns).check("http://localhost:8080/x"));
        expect(Verdict.Outcome.ALLOWED, guard("localhost:8080,127.0.0.1,::1", true, dns)
                .check("http://localhost:8080/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, guard("localhost:8080,127.0.0.1,::1", true, dns)
                .check("http://localhost:8081/x"));
        expect(Verdict.Outcome.ALLOWED, guard("[::1]:9000", true, dns).check("http://[::1]:9000/x"));
        expect(Verdict.Outcome.ALLOWED, guard("[0:0::1]", true, dns).check("http://[::1]/x"));
        expect(Verdict.Outcome.ALLOWED, guard("10.0.3.0/24", true, dns).check("http://10.0.3.17/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("10.0.3.0/24", true, dns).check("https://10.0.4.1/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, guard("10.0.3.0/24", true, dns).check("https://93.184.216.34/x"));
        expect(Verdict.Outcome.ALLOWED, guard("169.254.169.254", true, dns).check("http://169.254.169.254/x"));
    }

    @Test
    public void aHostNameEntryAloneNeverAdmitsASpecialAddress() throws Exception {
        // the reviewer's case: an allow-listed name re-pointed at the metadata service
        FakeDns dns = new FakeDns().add("orders.example.com", "169.254.169.254")
                .add("svc.internal", "10.0.0.5")
                .add("half.example.com", "93.184.216.34", "127.0.0.1");
        Verdict meta = guard("orders.example.com", false, dns).check("https://orders.example.com/x");
        expect(Verdict.Outcome.SPECIAL_ADDRESS, meta);
        assertTrue(meta.detail(), meta.detail().contains("metadata"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("orders.example.com:443", false, dns)
                .check("https://orders.example.com/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("svc.internal", false, dns).check("https://svc.internal/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("half.example.com", false, dns)
                .check("https://half.example.com/x"));
        // ... but the name plus an IP-literal or CIDR entry covering the address is an explicit decision
        expect(Verdict.Outcome.ALLOWED, guard("svc.internal,10.0.0.5", false, dns).check("https://svc.internal/x"));
        expect(Verdict.Outcome.ALLOWED, guard("svc.internal,10.0.0.0/8", false, dns).check("https://svc.internal/x"));
        expect(Verdict.Outcome.ALLOWED, guard("orders.example.com,169.254.169.254", false, dns)
                .check("https://orders.example.com/x"));
        // an IP-literal entry with a port covers the address on that port only
        expect(Verdict.Outcome.ALLOWED, guard("svc.internal,10.0.0.5:8443", false, dns)
                .check("https://svc.internal:8443/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("svc.internal,10.0.0.5:8443", false, dns)
                .check("https://svc.internal/x"));
        // and an IP-literal entry does not admit other names that resolve to it: the host must match too
        expect(Verdict.Outcome.NOT_ALLOWLISTED, guard("10.0.0.5", false, dns).check("https://svc.internal/x"));
    }

    @Test
    public void theLocalDefaultAdmitsLocalhostWithEveryLoopbackAddressItResolvesTo() throws Exception {
        FakeDns dns = new FakeDns().add("localhost", "127.0.0.1", "::1");
        TargetGuard local = guard("127.0.0.1,::1,localhost", true, dns);
        expect(Verdict.Outcome.ALLOWED, local.check("http://localhost:8080/x"));
        expect(Verdict.Outcome.ALLOWED, local.check("http://127.0.0.1:8080/x"));
        expect(Verdict.Outcome.ALLOWED, local.check("http://[::1]:8080/x"));
        expect(Verdict.Outcome.NOT_ALLOWLISTED, local.check("http://10.0.0.1/x"));
        // the old default without ::1 no longer admits a localhost that also resolves to ::1
        expect(Verdict.Outcome.SPECIAL_ADDRESS, guard("127.0.0.1,localhost", true, dns)
                .check("http://localhost:8080/x"));
        // the machine's real resolver, whatever localhost resolves to here
        TargetGuard real = guard("127.0.0.1,::1,localhost", true, HostResolver.system());
        expect(Verdict.Outcome.ALLOWED, real.check("http://localhost:8080/x"));
    }

    @Test
    public void cidrAdmitsNamesResolvingInsideIt() throws Exception {
        FakeDns dns = new FakeDns().add("svc.internal", "10.0.3.5").add("svc2.internal", "10.0.3.6", "10.9.9.9")
                .add("v6.internal", "fd00::5");
        TargetGuard g = guard("10.0.3.0/24,fd00::/8", false, dns);
        expect(Verdict.Outcome.ALLOWED, g.check("https://svc.internal/x"));
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check("https://svc2.internal/x"));
        expect(Verdict.Outcome.ALLOWED, g.check("https://v6.internal/x"));
    }

    @Test
    public void schemeRules() throws Exception {
        FakeDns dns = new FakeDns().add("orders.example.com", "93.184.216.34");
        expect(Verdict.Outcome.SCHEME_NOT_ALLOWED, guard("orders.example.com", false, dns)
                .check("http://orders.example.com/x"));
        expect(Verdict.Outcome.ALLOWED, guard("orders.example.com", true, dns).check("http://orders.example.com/x"));
        expect(Verdict.Outcome.SCHEME_NOT_ALLOWED, guard("orders.example.com", true, dns)
                .check("ftp://orders.example.com/x"));
        expect(Verdict.Outcome.INVALID_URL, guard("orders.example.com", true, dns).check("/relative"));
        expect(Verdict.Outcome.INVALID_URL, guard("orders.example.com", true, dns).check("https://exa mple.com"));
    }

    @Test
    public void detailNamesTheHostButNotThePathOrQuery() throws Exception {
        FakeDns dns = new FakeDns().add("orders.example.com", "93.184.216.34");
        Verdict v = guard("other.example.com", false, dns).check("https://orders.example.com/secret-path?token=abc");
        assertTrue(v.detail().contains("orders.example.com"));
        assertTrue(!v.detail().contains("secret-path") && !v.detail().contains("abc"));
    }

    /** Issue 9: the local stack's own ports are refused even though the local allow-list admits loopback. */
    @Test
    public void theDenylistRefusesByNameHostPortAndAddressWhateverTheAllowlistSays() throws Exception {
        FakeDns dns = new FakeDns().add("localhost", "127.0.0.1", "::1").add("rebound.example.org", "127.0.0.1")
                .add("ok.example.org", "93.184.216.34").add("lan.example.org", "10.0.0.9");
        TargetGuard g = guard("127.0.0.1,::1,localhost,*.example.org,10.0.0.0/8",
                "127.0.0.1:4000,localhost:4000,[::1]:4000,bad.example.org,*.evil.example.org,10.0.0.8/29", true, dns);
        expect(Verdict.Outcome.ALLOWED, g.check("http://127.0.0.1:8080/x"));
        expect(Verdict.Outcome.ALLOWED, g.check("http://localhost:8080/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://127.0.0.1:4000/_admin/faults"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://localhost:4000/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://[::1]:4000/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://[0:0:0:0:0:0:0:1]:4000/x"));
        // another name for a denied address and port is refused by the address
        expect(Verdict.Outcome.DENYLISTED, g.check("http://rebound.example.org:4000/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://bad.example.org/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://x.evil.example.org/x"));
        expect(Verdict.Outcome.DENYLISTED, g.check("http://lan.example.org/x"));
        expect(Verdict.Outcome.ALLOWED, g.check("http://ok.example.org/x"));
        assertTrue(g.check("http://localhost:4000/x").detail().contains("target_denylist"));
    }

    static TargetAllowlist sourceList(TargetGuard global, String entries) {
        return global.allowlist().withEntries(List.of(entries.split(",")), "allowlist");
    }

    /** Issue 9: a source's allow-list narrows the global one and never widens it. */
    @Test
    public void aSourceListIsAlwaysInsideTheGlobalList() throws Exception {
        FakeDns dns = new FakeDns().add("orders.example.com", "93.184.216.34")
                .add("billing.example.com", "93.184.216.35")
                .add("a.corp.example", "93.184.216.36").add("intra.corp.example", "10.0.0.7")
                .add("x.other.example", "93.184.216.37");
        TargetGuard g = guard("orders.example.com,billing.example.com,*.corp.example,10.0.0.0/8", false, dns);
        TargetAllowlist orders = sourceList(g, "orders.example.com,*.corp.example");
        expect(Verdict.Outcome.ALLOWED, g.check(URI.create("https://orders.example.com/x"), orders));
        expect(Verdict.Outcome.ALLOWED, g.check(URI.create("https://a.corp.example/x"), orders));
        Verdict billing = g.check(URI.create("https://billing.example.com/x"), orders);
        expect(Verdict.Outcome.NOT_ALLOWLISTED, billing);
        assertTrue(billing.detail(), billing.detail().contains("source's allow-list"));
        // the source lists what the global list does not admit: still refused
        TargetAllowlist wide = sourceList(g, "*.other.example,0.0.0.0/0");
        Verdict other = g.check(URI.create("https://x.other.example/x"), wide);
        expect(Verdict.Outcome.NOT_ALLOWLISTED, other);
        assertTrue(other.detail(), other.detail().contains("target_allowlist"));
        // a special address needs an IP-literal or CIDR entry in both lists
        expect(Verdict.Outcome.SPECIAL_ADDRESS, g.check(URI.create("https://intra.corp.example/x"), orders));
        expect(Verdict.Outcome.ALLOWED, g.check(URI.create("https://intra.corp.example/x"),
                sourceList(g, "*.corp.example,10.0.0.7")));
        // the source's list keeps the global deny-list
        TargetGuard denying = guard("orders.example.com", "orders.example.com", false, dns);
        expect(Verdict.Outcome.DENYLISTED, denying.check(URI.create("https://orders.example.com/x"),
                sourceList(denying, "orders.example.com")));
        // both lists judge the addresses of one lookup
        dns.lookups.clear();
        g.check(URI.create("https://orders.example.com/x"), orders);
        assertEquals(List.of("orders.example.com"), dns.lookups);
    }

    @Test
    public void realResolverRefusesLocalhostUnderAWildcard() {
        // the system resolver path: localhost always resolves to loopback, so it must be refused by *.domain rules
        TargetGuard g = guard("*.localhost.localdomain", true, HostResolver.system());
        assertTrue(!g.check("http://localhost/x").allowed());
        assertTrue(!g.check("http://2130706433/x").allowed()); // decimal form of 127.0.0.1
    }
}
