package io.tickwave.server.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1 made with the JDK's keytool, written as the PEM
 * files {@code --tls-cert} and {@code --tls-key} take, and a client context that trusts it. For tests.
 */
public record SelfSignedPem(Path certFile, Path keyFile) {

    private static final String PASSWORD = "changeit";

    /** Generates a key pair of {@code keyAlgorithm} ("RSA" or "EC") into {@code dir}. */
    public static SelfSignedPem generate(Path dir, String keyAlgorithm) throws Exception {
        Path keyStore = dir.resolve(keyAlgorithm + ".p12");
        Path certFile = dir.resolve(keyAlgorithm + "-cert.pem");
        Path keyFile = dir.resolve(keyAlgorithm + "-key.pem");
        List<String> generate = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", "tickwave",
                "-keyalg", keyAlgorithm, "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        generate.addAll("EC".equals(keyAlgorithm) ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        run(generate);
        run(List.of(keytool(), "-exportcert", "-rfc", "-alias", "tickwave", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-file", certFile.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("tickwave", PASSWORD.toCharArray());
        // A PKCS12 key entry's encoding is PKCS#8.
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return new SelfSignedPem(certFile, keyFile);
    }

    /** A client TLS context that trusts exactly this certificate. */
    public SSLContext trustingClientContext() throws Exception {
        Certificate certificate;
        try (InputStream in = Files.newInputStream(certFile)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tickwave", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + command + "\n" + output);
        }
    }
}
