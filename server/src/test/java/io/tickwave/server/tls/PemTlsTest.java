package io.tickwave.server.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemTlsTest {

    @TempDir
    static Path dir;
    private static SelfSignedPem rsa;
    private static SelfSignedPem ec;
    private static SelfSignedPem otherRsa;

    @BeforeAll
    static void generateCertificates() throws Exception {
        rsa = SelfSignedPem.generate(Files.createDirectory(dir.resolve("rsa")), "RSA");
        ec = SelfSignedPem.generate(Files.createDirectory(dir.resolve("ec")), "EC");
        otherRsa = SelfSignedPem.generate(Files.createDirectory(dir.resolve("other")), "RSA");
    }

    @Test
    void shouldLoadAnRsaCertificateAndItsPkcs8Key() throws Exception {
        SSLContext context = PemTls.load(rsa.certFile(), rsa.keyFile());
        assertNotNull(context.createSSLEngine());
        assertEquals("RSA", PemTls.readPrivateKey(rsa.keyFile()).getAlgorithm());
    }

    @Test
    void shouldLoadAnEcCertificateAndItsPkcs8Key() throws Exception {
        assertNotNull(PemTls.load(ec.certFile(), ec.keyFile()));
        assertEquals("EC", PemTls.readPrivateKey(ec.keyFile()).getAlgorithm());
    }

    @Test
    void shouldNameTheCertFlagForAMissingOrBrokenCertificate() throws Exception {
        SelfSignedPem pem = ec;
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PemTls.load(dir.resolve("nope.pem"), pem.keyFile()));
        assertTrue(missing.getMessage().startsWith(PemTls.CERT_FLAG + ": no such file"), missing.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> PemTls.load(garbage, pem.keyFile()));
        assertTrue(broken.getMessage().startsWith(PemTls.CERT_FLAG), broken.getMessage());
    }

    @Test
    void shouldNameTheKeyFlagAndTheFixForAPkcs1Key() throws Exception {
        SelfSignedPem pem = rsa;
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PemTls.load(pem.certFile(), pkcs1));
        assertTrue(error.getMessage().startsWith(PemTls.KEY_FLAG), error.getMessage());
        assertTrue(error.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), error.getMessage());
    }

    @Test
    void shouldRefuseAKeyThatIsNotTheCertificates() throws Exception {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PemTls.load(rsa.certFile(), otherRsa.keyFile()));
        assertTrue(error.getMessage().contains("does not belong to the first certificate"), error.getMessage());
    }
}
