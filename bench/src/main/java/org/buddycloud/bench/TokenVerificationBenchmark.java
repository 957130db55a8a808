package org.buddycloud.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.JwksKeys;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a service pays per request to check an access token, with no network involved: the full
 * check (signature, claims, revocation) of a token never seen before, the check of a token seen
 * before (the usual case: clients reuse their token for 15 minutes), and as the floor the bare
 * JDK RS256 signature verification that any JWT check must do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime) // percentiles: the median is the figure to quote
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class TokenVerificationBenchmark {

    private static final String ISSUER = "http://localhost:8081";
    private static final int DISTINCT_TOKENS = 4096;

    private String[] tokens;
    private TokenVerifier uncached;
    private TokenVerifier cached;
    private PublicKey publicKey;
    private byte[] signingInput;
    private byte[] signature;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();
        publicKey = pair.getPublic();
        tokens = new String[DISTINCT_TOKENS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = sign(pair, "user" + i + "@localhost");
        }
        RevocationList revocations = new RevocationList(Duration.ofHours(1));
        // a revocation list with entries, as in production: the lookups are part of the cost
        for (int i = 0; i < 1000; i++) {
            revocations.revokeSession(UUID.randomUUID().toString(), Instant.now().plusSeconds(900));
        }
        JwksKeys keys = keysFetchedOnceThenOffline(pair);
        uncached = new TokenVerifier(keys, revocations,
                new TokenVerifier.Settings(ISSUER, "buddycloud", Duration.ofSeconds(30), 0), Clock.systemUTC());
        cached = new TokenVerifier(keys, revocations,
                new TokenVerifier.Settings(ISSUER, "buddycloud", Duration.ofSeconds(30), 10_000), Clock.systemUTC());
        String[] parts = tokens[0].split("\\.");
        signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(parts[2]);
    }

    /** Full verification of a token not seen before (a different one each call). */
    @Benchmark
    public AccessTokenClaims verifyNewToken() throws InvalidTokenException {
        next = (next + 1) % DISTINCT_TOKENS;
        return uncached.verify(tokens[next]);
    }

    /** Verification of a token seen before: expiry and revocation are still checked. */
    @Benchmark
    public AccessTokenClaims verifyKnownToken() throws InvalidTokenException {
        return cached.verify(tokens[0]);
    }

    /** Baseline: the JDK's RS256 signature check alone, the floor of any JWT verification. */
    @Benchmark
    public boolean baselineRsaSignatureOnly() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(signingInput);
        return verifier.verify(signature);
    }

    /**
     * The services' real key source: it fetches the JWKS document once from a server that then goes
     * away, so every verification measured below provably needs no network.
     */
    private static JwksKeys keysFetchedOnceThenOffline(KeyPair pair) throws Exception {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
        jwk.setKeyId("bench");
        jwk.setUse("sig");
        byte[] document = new JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
        JwksKeys keys = new JwksKeys(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json"),
                Duration.ofSeconds(2), Duration.ofHours(1), Clock.systemUTC());
        if (!keys.available()) {
            throw new IllegalStateException("the JWKS document was not fetched");
        }
        server.stop(0);
        return keys;
    }

    private static String sign(KeyPair pair, String subject) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("buddycloud");
        claims.setSubject(subject);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.now());
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(Duration.ofHours(2)).getEpochSecond()));
        claims.setClaim(AccessTokenClaims.SESSION_CLAIM, UUID.randomUUID().toString());
        claims.setClaim(AccessTokenClaims.GENERATION_CLAIM, 42L);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(pair.getPrivate());
        jws.setKeyIdHeaderValue("bench");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
