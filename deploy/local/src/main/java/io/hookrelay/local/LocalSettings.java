package io.hookrelay.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * What bin/run-local was asked for, from environment variables:
 *
 * <ul>
 *   <li>{@code HOOKRELAY_HOME}: the repository (where the service jars are built); default: working directory
 *   <li>{@code HOOKRELAY_DATA}: the data directory; default {@code $HOOKRELAY_HOME/.hookrelay}
 *   <li>{@code HOOKRELAY_PORT}: the gateway's port; default 8080
 *   <li>{@code HOOKRELAY_ADMIN_TOKEN}: the admin bearer token; default: generated once, kept in the data directory
 *   <li>{@code HOOKRELAY_DELIVERY_NICENESS}: how much lower delivery-service's CPU priority is than the
 *       other services' (0 to 19, as {@code nice -n}); default {@value #DEFAULT_DELIVERY_NICENESS}. With
 *       10, on a machine whose cores are all busy, clients waiting for a 202 come first, and deliveries
 *       fall behind: ADR 0044 has both sides measured.
 * </ul>
 */
record LocalSettings(
        Path home, Path dataDirectory, int gatewayPort, String adminToken, boolean tokenGenerated, int deliveryNiceness) {

    static final int DEFAULT_DELIVERY_NICENESS = 0;

    LocalSettings(Path home, Path dataDirectory, int gatewayPort, String adminToken, boolean tokenGenerated) {
        this(home, dataDirectory, gatewayPort, adminToken, tokenGenerated, DEFAULT_DELIVERY_NICENESS);
    }

    static LocalSettings from(Map<String, String> environment) {
        Path home = home(environment);
        Path data = Path.of(environment.getOrDefault("HOOKRELAY_DATA", home.resolve(".hookrelay").toString()))
                .toAbsolutePath()
                .normalize();
        int port = whole(environment, "HOOKRELAY_PORT", 8080, 1, 65535, "a port number (1-65535)");
        int deliveryNiceness = whole(environment, "HOOKRELAY_DELIVERY_NICENESS", DEFAULT_DELIVERY_NICENESS, 0, 19,
                "0 (no lower than the others) to 19 (the lowest)");
        String token = environment.get("HOOKRELAY_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            return new LocalSettings(home, data, port, token.trim(), false, deliveryNiceness);
        }
        return new LocalSettings(home, data, port, storedOrNewToken(data), true, deliveryNiceness);
    }

    static Path home(Map<String, String> environment) {
        return Path.of(environment.getOrDefault("HOOKRELAY_HOME", ".")).toAbsolutePath().normalize();
    }

    /** The whole number {@code variable} holds, from {@code min} to {@code max}, or a message that says {@code what} it must be. */
    private static int whole(Map<String, String> environment, String variable, int fallback, int min, int max, String what) {
        String text = environment.getOrDefault(variable, Integer.toString(fallback));
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new IllegalArgumentException(variable + " must be " + what + ", not '" + text + "'");
    }

    /**
     * The AES-256 key endpoint secrets are encrypted with at rest: generated once and kept with the
     * data (they are unreadable without it).
     */
    static String secretsKey(Path data) {
        Path file = data.resolve("secrets-key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String text = java.util.Base64.getEncoder().encodeToString(key);
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the secrets key in " + file, e);
        }
    }

    /**
     * The credential the services require from the gateway, new on every start, written to
     * {@code internal-token} in the data directory (owner-only, like the admin token) so an operator
     * or a benchmark can call a service directly, bypassing the gateway on purpose.
     */
    static void keepInternalToken(Path data, String token) {
        Path file = data.resolve("internal-token");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the internal token in " + file, e);
        }
    }

    /** Kept with the data so clients configured with it keep working across restarts. */
    private static String storedOrNewToken(Path data) {
        Path file = data.resolve("admin-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(data);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = "hr_local_" + HexFormat.of().formatHex(random);
            Files.writeString(file, token);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the admin token in " + file, e);
        }
    }
}
