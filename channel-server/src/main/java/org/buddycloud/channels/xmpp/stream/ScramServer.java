package org.buddycloud.channels.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.account.Passwords;
import org.buddycloud.channels.account.Scram;
import org.buddycloud.channels.account.ScramCredential;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.contracts.jid.Jid;

/**
 * The server side of one SCRAM exchange (RFC 5802 §5), against the stored keys only — the server
 * never sees or keeps the password. No channel binding ({@code n,,} or {@code y,,}); {@code p=} is
 * refused. An unknown user gets a believable salt and fails only at the proof, so the exchange does
 * not reveal which accounts exist.
 */
final class ScramServer {

    /** Finds the account a SCRAM user name names, and its stored keys for the mechanism. */
    interface Credentials {
        Optional<Jid> identify(String username);

        Optional<ScramCredential> keys(Jid account, ScramMechanism mechanism);

        /** The keys an unknown user seems to have: derived from the name, so the same name always gets the same salt. */
        ScramCredential decoy(String username, ScramMechanism mechanism);
    }

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final ScramMechanism mechanism;
    private final Credentials credentials;
    private final SecureRandom random;
    private String clientFirstBare;
    private String serverFirst;
    private String gs2Header;
    private String nonce;
    private ScramCredential keys;
    private Jid account;

    ScramServer(ScramMechanism mechanism, Credentials credentials, SecureRandom random) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.random = random;
    }

    /** Answers client-first-message with server-first-message. */
    String first(String clientFirst) throws SaslFailure {
        if (clientFirst.startsWith("p=")) {
            throw new SaslFailure("not-authorized", "channel binding is not supported");
        }
        if (!(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
            throw new SaslFailure("malformed-request", "a SCRAM exchange starts with a GS2 header");
        }
        int bareStart = clientFirst.indexOf(',', 2);
        if (bareStart < 0) {
            throw new SaslFailure("malformed-request", "no client-first-message-bare");
        }
        gs2Header = clientFirst.substring(0, bareStart + 1);
        clientFirstBare = clientFirst.substring(bareStart + 1);
        Map<String, String> fields = fields(clientFirstBare);
        String username = unescape(required(fields, "n"));
        String clientNonce = required(fields, "r");
        account = credentials.identify(username).orElse(null);
        keys = account == null ? null : credentials.keys(account, mechanism).orElse(null);
        ScramCredential salted = keys != null ? keys : credentials.decoy(username, mechanism);
        byte[] serverNonce = new byte[18];
        random.nextBytes(serverNonce);
        nonce = clientNonce + B64.encodeToString(serverNonce);
        serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(salted.salt()) + ",i=" + salted.iterations();
        return serverFirst;
    }

    /** Checks client-final-message; answers with server-final-message (the server signature). */
    String last(String clientFinal) throws SaslFailure {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new SaslFailure("malformed-request", "no proof");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        Map<String, String> fields = fields(clientFinal);
        String binding = new String(decode(required(fields, "c")), StandardCharsets.UTF_8);
        if (!binding.equals(gs2Header) || !nonce.equals(required(fields, "r"))) {
            throw new SaslFailure("not-authorized", "the exchange does not match");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        if (keys == null || !Scram.verifyClientProof(keys, authMessage, decode(required(fields, "p")))) {
            throw new SaslFailure("not-authorized", "wrong user name or password");
        }
        return "v=" + B64.encodeToString(Scram.serverSignature(keys, authMessage));
    }

    /** The account the exchange names (known after the first message; proven after the last). */
    Optional<Jid> account() {
        return Optional.ofNullable(account);
    }

    String username() throws SaslFailure {
        return unescape(required(fields(clientFirstBare), "n"));
    }

    private static byte[] decode(String value) throws SaslFailure {
        try {
            return B64D.decode(value);
        } catch (IllegalArgumentException e) {
            throw new SaslFailure("incorrect-encoding", "invalid base64");
        }
    }

    private static Map<String, String> fields(String message) throws SaslFailure {
        Map<String, String> fields = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new SaslFailure("malformed-request", "malformed SCRAM attribute");
            }
            fields.putIfAbsent(part.substring(0, 1), part.substring(2));
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String key) throws SaslFailure {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new SaslFailure("malformed-request", "missing SCRAM attribute " + key);
        }
        return value;
    }

    /** RFC 5802 saslname: {@code =2C} is ',', {@code =3D} is '='; and the name is normalised like a password. */
    private static String unescape(String saslName) throws SaslFailure {
        String name = saslName.replace("=2C", ",").replace("=3D", "=");
        if (name.contains("=")) {
            throw new SaslFailure("malformed-request", "invalid escape in the user name");
        }
        return Passwords.normalise(name).orElseThrow(() -> new SaslFailure("not-authorized", "invalid user name"));
    }
}
