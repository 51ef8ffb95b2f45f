package dev.datasync.localoci.auth;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The emulator's one API user: an RSA-2048 key generated on first start and kept in the data directory
 * ({@code oci_api_key.pem}, PKCS#8), its tenancy/user OCIDs and Object Storage namespace ({@code identity.properties}) and an OCI config
 * file ({@code config}, profile DEFAULT) that {@code ConfigFileAuthenticationDetailsProvider} reads as is.
 * Re-used on every later start so clients and OCIDs stay valid across restarts.
 */
public record ApiKeyIdentity(String tenancyId, String userId, String fingerprint, String region, String namespace,
                             PublicKey publicKey, Path keyFile, Path configFile) {

    public static final String PROFILE = "DEFAULT";

    public String keyId() {
        return tenancyId + "/" + userId + "/" + fingerprint;
    }

    public static ApiKeyIdentity loadOrCreate(Path dataDir, String region, OcidFactory ocids) throws IOException {
        Path keyFile = dataDir.resolve("oci_api_key.pem");
        Path idFile = dataDir.resolve("identity.properties");
        Path configFile = dataDir.resolve("config");
        try {
            if (!Files.exists(keyFile)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                PrivateFiles.writeString(keyFile, pem);
            }
            Properties identity = new Properties();
            if (Files.exists(idFile)) {
                try (var in = Files.newBufferedReader(idFile)) {
                    identity.load(in);
                }
            } else {
                identity.setProperty("tenancy", ocids.global("tenancy"));
                identity.setProperty("user", ocids.global("user"));
                identity.setProperty("namespace", ocids.namespace());
                PrivateFiles.ensurePrivate(idFile);
                try (var out = Files.newBufferedWriter(idFile)) {
                    identity.store(out, "local-oci identity (generated on first start)");
                }
            }
            PrivateFiles.restrict(keyFile); // a key written 0644 by an older version
            PublicKey publicKey = publicKeyOf(keyFile);
            String fingerprint = fingerprint(publicKey);
            ApiKeyIdentity id = new ApiKeyIdentity(identity.getProperty("tenancy"), identity.getProperty("user"),
                    fingerprint, region, identity.getProperty("namespace"), publicKey, keyFile.toAbsolutePath(), configFile.toAbsolutePath());
            // Rewritten every start: the data directory may have moved, and key_file must be absolute.
            PrivateFiles.writeString(configFile, "[" + PROFILE + "]\n"
                    + "user=" + id.userId + "\n"
                    + "fingerprint=" + id.fingerprint + "\n"
                    + "tenancy=" + id.tenancyId + "\n"
                    + "region=" + region + "\n"
                    + "key_file=" + id.keyFile + "\n");
            return id;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot create or read the API key in " + dataDir, e);
        }
    }

    private static PublicKey publicKeyOf(Path keyFile) throws IOException, java.security.GeneralSecurityException {
        String pem = Files.readString(keyFile);
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey =
                (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        return rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
    }

    /** OCI's fingerprint: MD5 of the DER public key, colon-separated hex. */
    static String fingerprint(PublicKey key) throws java.security.GeneralSecurityException {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(key.getEncoded());
        String hex = HexFormat.of().formatHex(md5);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }
}
