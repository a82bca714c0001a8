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
 * </ul>
 */
record LocalSettings(Path home, Path dataDirectory, int gatewayPort, String adminToken, boolean tokenGenerated) {

    static LocalSettings from(Map<String, String> environment) {
        Path home = home(environment);
        Path data = Path.of(environment.getOrDefault("HOOKRELAY_DATA", home.resolve(".hookrelay").toString()))
                .toAbsolutePath()
                .normalize();
        int port = parsePort(environment.getOrDefault("HOOKRELAY_PORT", "8080"));
        String token = environment.get("HOOKRELAY_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            return new LocalSettings(home, data, port, token.trim(), false);
        }
        return new LocalSettings(home, data, port, storedOrNewToken(data), true);
    }

    static Path home(Map<String, String> environment) {
        return Path.of(environment.getOrDefault("HOOKRELAY_HOME", ".")).toAbsolutePath().normalize();
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HOOKRELAY_PORT must be a port number (1-65535), not '" + text + "'");
        }
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
