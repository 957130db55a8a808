package org.buddycloud.push.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser's push service for the tests, on loopback: it keeps what it is sent, answers 201 (or 410 for a
 * subscription marked gone), and — playing the browser too — holds each subscription's private key, so a test can
 * decrypt a payload by RFC 8291 with nothing but the JDK (not the library the push server encrypts with).
 */
public final class WebPushStandIn implements AutoCloseable {

    /** One request as the push service received it. */
    public record Received(String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    /** A browser's subscription: the endpoint and the keys it hands the server, and its private side. */
    public record Subscription(String endpoint, String p256dh, String auth, KeyPair keys, byte[] authSecret) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    private WebPushStandIn(HttpServer server) {
        this.server = server;
    }

    public static WebPushStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            WebPushStandIn standIn = new WebPushStandIn(server);
            server.createContext("/push/", standIn::handle);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new subscription at this push service, as {@code PushManager.subscribe} would make one. */
    public Subscription subscribe(String name) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/push/" + name;
        return new Subscription(endpoint, base64url(uncompressed((ECPublicKey) keys.getPublic())), base64url(auth), keys, auth);
    }

    /** From now on the push service answers 410 Gone for this subscription (the user revoked it). */
    public void expire(Subscription subscription) {
        gone.add(java.net.URI.create(subscription.endpoint()).getPath());
    }

    public List<Received> receivedFor(Subscription subscription) {
        String path = java.net.URI.create(subscription.endpoint()).getPath();
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Decrypts an {@code aes128gcm} body for {@code subscription} (RFC 8291 §3.4, RFC 8188 §2). */
    public static String decrypt(Subscription subscription, byte[] body) throws GeneralSecurityException {
        ByteBuffer header = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        header.get(salt);
        int recordSize = header.getInt();
        int idLength = header.get() & 0xff;
        byte[] serverPublic = new byte[idLength];
        header.get(serverPublic);
        byte[] ciphertext = Arrays.copyOfRange(body, 21 + idLength, body.length);
        if (ciphertext.length > recordSize) {
            throw new GeneralSecurityException("more than one record");
        }
        ECPublicKey userPublic = (ECPublicKey) subscription.keys().getPublic();
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(subscription.keys().getPrivate());
        agreement.doPhase(publicKey(serverPublic, userPublic), true);
        byte[] ecdhSecret = agreement.generateSecret();
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uncompressed(userPublic), serverPublic);
        byte[] ikm = hkdf(subscription.authSecret(), ecdhSecret, keyInfo, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = cipher.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new GeneralSecurityException("no last-record delimiter");
        }
        return new String(padded, 0, end, StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
        exchange.sendResponseHeaders(gone.contains(path) ? 410 : 201, -1);
        exchange.close();
    }

    /** HKDF-SHA-256 (RFC 5869) for outputs of at most 32 bytes: one expand block. */
    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static ECPublicKey publicKey(byte[] uncompressed, ECPublicKey sameCurve) throws GeneralSecurityException {
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, sameCurve.getParams()));
    }

    static byte[] uncompressed(ECPublicKey key) {
        return concat(new byte[] {4}, fixed(key.getW().getAffineX()), fixed(key.getW().getAffineY()));
    }

    private static byte[] fixed(BigInteger coordinate) {
        byte[] bytes = coordinate.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
