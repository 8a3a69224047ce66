package io.tickwave.server.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the server's {@link SSLContext} from PEM files, with the JDK alone: {@code --tls-cert}, an X.509
 * certificate chain (the server's certificate first, then intermediates, as issued), and
 * {@code --tls-key}, its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC.
 *
 * <p>Every problem is an {@link IllegalArgumentException} whose message names the flag and says what to
 * change, so the launcher can fail with one line. Threads: a static function, called once at start.
 */
public final class PemTls {

    public static final String CERT_FLAG = "--tls-cert (TICKWAVE_TLS_CERT)";
    public static final String KEY_FLAG = "--tls-key (TICKWAVE_TLS_KEY)";
    private static final Pattern PKCS8_BLOCK =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private PemTls() {
    }

    /**
     * Reads both files, checks that the key belongs to the first certificate, and builds a TLS context
     * serving that chain.
     *
     * @throws IllegalArgumentException naming the flag whose file is unreadable or wrong
     */
    public static SSLContext load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = readCertificateChain(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException(KEY_FLAG + ": the key in " + keyFile
                    + " does not belong to the first certificate in " + certFile);
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tickwave", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(CERT_FLAG + " / " + KEY_FLAG + ": cannot build a TLS context from "
                    + certFile + " and " + keyFile + " (" + e.getMessage() + ")", e);
        }
    }

    /** The certificates of a PEM file, in file order; at least one. */
    static List<X509Certificate> readCertificateChain(Path certFile) {
        byte[] bytes = read(certFile, CERT_FLAG);
        List<X509Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IllegalArgumentException(CERT_FLAG + ": " + certFile
                    + " is not a PEM certificate chain (BEGIN CERTIFICATE blocks): " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(CERT_FLAG + ": " + certFile + " holds no certificate");
        }
        return chain;
    }

    /** The PKCS#8 private key of a PEM file. */
    static PrivateKey readPrivateKey(Path keyFile) {
        String text = new String(read(keyFile, KEY_FLAG), StandardCharsets.US_ASCII);
        Matcher block = PKCS8_BLOCK.matcher(text);
        if (!block.find()) {
            String hint = text.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key; decrypt it"
                    : text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "a PKCS#1/SEC1 key; convert it" : "not a PEM private key; write it as PKCS#8";
            throw new IllegalArgumentException(KEY_FLAG + ": " + keyFile + " is " + hint
                    + " with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_FLAG + ": " + keyFile + " has a damaged Base64 key block", e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // try the next one
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm + " keys", e);
            }
        }
        throw new IllegalArgumentException(KEY_FLAG + ": " + keyFile + " holds no RSA or EC private key");
    }

    private static byte[] read(Path file, String flag) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(flag + ": no such file " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + file + " (" + e + ")", e);
        }
    }

    /** Signs a nonce with the key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
        if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
