package org.buddycloud.channels.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The SCRAM exchanges of RFC 5802 §5 and RFC 7677 §3, recomputed from the stored keys alone. */
class ScramTest {

    private static final Base64.Decoder B64 = Base64.getDecoder();

    @Test
    void rfc5802ScramSha1Example() {
        verifyExchange(ScramMechanism.SHA_1, "QSXCR+Q6sek8bf92",
                "n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j",
                "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", "rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    @Test
    void rfc7677ScramSha256Example() {
        verifyExchange(ScramMechanism.SHA_256, "W22ZaJ0SNY7soEsUEjb6gQ==",
                "n=user,r=rOprNGfwEbeRWgbNEkqO",
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
                "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void aPasswordMatchesOnlyTheKeysDerivedFromIt() {
        ScramCredential keys = Scram.derive(ScramMechanism.SHA_256, "pencil", B64.decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        assertTrue(Scram.matches(keys, "pencil"));
        assertFalse(Scram.matches(keys, "Pencil"));
        assertFalse(Scram.matches(keys, ""));
    }

    private static void verifyExchange(ScramMechanism mechanism, String salt, String clientFirstBare, String serverFirst,
                                       String clientFinalWithoutProof, String expectedProof, String expectedServerSignature) {
        ScramCredential stored = Scram.derive(mechanism, "pencil", B64.decode(salt), 4096);
        String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

        byte[] clientKey = Scram.clientKey(mechanism, Scram.saltedPassword(mechanism, "pencil", B64.decode(salt), 4096));
        assertArrayEquals(B64.decode(expectedProof), Scram.clientProof(mechanism, clientKey, authMessage), "client proof");
        assertTrue(Scram.verifyClientProof(stored, authMessage, B64.decode(expectedProof)), "server accepts the RFC's proof");
        assertArrayEquals(B64.decode(expectedServerSignature), Scram.serverSignature(stored, authMessage), "server signature");

        byte[] forged = B64.decode(expectedProof);
        forged[0] ^= 1;
        assertFalse(Scram.verifyClientProof(stored, authMessage, forged), "a changed proof is refused");
        assertFalse(Scram.verifyClientProof(stored, authMessage, new byte[3]), "a short proof is refused");
    }
}
