package io.iotpm.api.auth;

import java.io.Console;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies passwords with PBKDF2-HMAC-SHA256 from the JDK ({@link SecretKeyFactory}),
 * at {@value #ITERATIONS} iterations (OWASP's 2023 recommendation) and a 16-byte random salt.
 *
 * <p>A hash is one string, {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}, so it can sit in a
 * config file or an environment variable. Verification reads the iteration count from the hash but
 * refuses hashes weaker than {@value #ITERATIONS} iterations, so a store cannot be downgraded.
 *
 * <p>Deliberately slow (a few hundred milliseconds per call on a laptop core): call it for logins,
 * never per request. Thread-safe.
 */
public final class PasswordHasher {

    /** PBKDF2 iterations used for new hashes and required of stored ones. */
    public static final int ITERATIONS = 600_000;

    private static final String PREFIX = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    /**
     * Hashes a password with a fresh random salt.
     *
     * @param password the password; not retained
     * @return the encoded hash, {@code pbkdf2-sha256$600000$salt$hash}
     * @throws IllegalArgumentException if the password is empty
     */
    public static String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Checks a password against an encoded hash in constant time (for a given hash).
     *
     * @param password the candidate password
     * @param encoded  a hash from {@link #hash(char[])}
     * @return whether the password matches
     * @throws IllegalArgumentException if {@code encoded} is not a PBKDF2 hash of this format or uses
     *                                  fewer than {@value #ITERATIONS} iterations
     */
    public static boolean verify(char[] password, String encoded) {
        Objects.requireNonNull(password, "password");
        Parsed p = parse(encoded);
        byte[] actual = pbkdf2(password, p.salt, p.iterations);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /**
     * Checks that a string is a hash this class can verify, for validating configuration early.
     *
     * @param encoded the candidate hash
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static void requireValidHash(String encoded) {
        parse(encoded);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded hash");
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("password hash must look like '" + PREFIX
                    + "$<iterations>$<salt>$<hash>' (from PasswordHasher.hash), but starts with '"
                    + encoded.substring(0, Math.min(encoded.length(), 16)) + "'");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash iteration count must be an integer, but was '"
                    + parts[1] + "'", e);
        }
        if (iterations < ITERATIONS) {
            throw new IllegalArgumentException("password hash must use at least " + ITERATIONS
                    + " PBKDF2 iterations, but uses " + iterations + "; re-hash it with PasswordHasher.hash");
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (salt.length < SALT_BYTES || hash.length != HASH_BITS / 8) {
                throw new IllegalArgumentException("password hash has a " + salt.length + "-byte salt and a "
                        + hash.length + "-byte hash; expected at least " + SALT_BYTES + " and exactly " + HASH_BITS / 8);
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("password hash")) {
                throw e;
            }
            throw new IllegalArgumentException("password hash salt or hash is not valid Base64", e);
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Prints the hash of a password read from the console, for putting users in configuration:
     * {@code java -cp iotpm-api.jar io.iotpm.api.auth.PasswordHasher}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException("no console: run this in a terminal");
        }
        char[] pw = console.readPassword("password: ");
        try {
            console.printf("%s%n", hash(pw));
        } finally {
            Arrays.fill(pw, '\0');
        }
    }
}
