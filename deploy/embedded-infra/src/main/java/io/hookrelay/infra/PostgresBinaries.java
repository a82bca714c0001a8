package io.hookrelay.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of zonky's archive, unpacked once per machine where zonky's
 * {@code EmbeddedPostgres} looks for them, so it never unpacks them itself. Its own unpacking holds
 * the archive twice and every file at once in memory (over 90 MB: bin/run-local's launcher, with a
 * 64 MB heap, died of it on a fresh machine), and when it fails it leaves a half-filled directory
 * that every later start then fails on ({@code FileAlreadyExistsException}) until someone deletes
 * it by hand.
 *
 * <p>Here the archive is streamed (the xz dictionary, 8 MB, is the only large buffer) into a
 * directory of its own, and moved into place only once complete; a half-filled directory left by
 * an earlier crash is removed first. Processes preparing at the same time take turns on a lock file.
 *
 * <p>zonky's layout: {@code <working dir>/PG-<MD5 of the archive>/}, complete once its
 * {@code .exists} marker is newer than every entry beside it.
 */
final class PostgresBinaries {

    static final String MARKER = ".exists";
    private static final Set<PosixFilePermission> EXECUTABLE = EnumSet.of(
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private PostgresBinaries() {}

    /** zonky's default working directory, {@code ot.epg.working-dir} or {@code <tmp>/embedded-pg}. */
    static Path defaultWorkingDirectory() {
        String configured = System.getProperty("ot.epg.working-dir");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    }

    /**
     * Makes sure the binaries for this machine are unpacked under {@code workingDirectory}; returns
     * their directory, or null when zonky has no archive for this system on the class path (zonky
     * then reports that itself).
     */
    static Path prepare(Path workingDirectory) {
        String archive = archiveName();
        if (PostgresBinaries.class.getClassLoader().getResource(archive) == null) {
            return null;
        }
        try {
            Files.createDirectories(workingDirectory);
            Path target = workingDirectory.resolve("PG-" + md5(archive));
            if (isComplete(target)) {
                return target;
            }
            synchronized (PostgresBinaries.class) { // a file lock is held per process, not per thread
                try (var lockFile = FileChannel.open(workingDirectory.resolve("hookrelay-unpack.lock"),
                                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        var lock = lockFile.lock()) {
                    if (!isComplete(target)) {
                        unpackInto(archive, target);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the PostgreSQL binaries into " + workingDirectory, e);
        }
    }

    static boolean isComplete(Path directory) throws IOException {
        Path marker = directory.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        FileTime marked = Files.getLastModifiedTime(marker);
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> !entry.equals(marker))
                    .allMatch(entry -> lastModified(entry).compareTo(marked) <= 0);
        }
    }

    private static void unpackInto(String archive, Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
        deleteRecursively(staging);
        try (InputStream in = resource(archive);
                var tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = staging.resolve(entry.getName()).normalize();
                if (!path.startsWith(staging)) {
                    throw new IOException("Archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, staging.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0111) != 0) {
                        var permissions = Files.getPosixFilePermissions(path);
                        permissions.addAll(EXECUTABLE);
                        Files.setPosixFilePermissions(path, permissions);
                    }
                }
            }
        }
        // newer than every entry: the tar kept the archive's own times on its directories
        Files.writeString(staging.resolve(MARKER), "");
        Files.setLastModifiedTime(staging.resolve(MARKER), FileTime.fromMillis(System.currentTimeMillis() + 1000));
        deleteRecursively(target); // what a crash (ours, or zonky's own unpacking) left half-filled
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteRecursively(staging); // someone without our lock (zonky itself) finished first
        }
    }

    private static String archiveName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> System.getProperty("os.arch");
        };
        boolean alpine = os.contains("linux") && Files.exists(Path.of("/etc/alpine-release"));
        String system = os.contains("linux") ? (alpine ? "linux-alpine" : "linux") : os.contains("mac") ? "darwin" : os;
        return "postgres-" + system + "-" + arch + ".txz";
    }

    private static String md5(String archive) throws IOException {
        try (var in = new DigestInputStream(resource(archive), MessageDigest.getInstance("MD5"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String archive) throws IOException {
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(archive);
        if (in == null) {
            throw new IOException("No " + archive + " on the class path");
        }
        return in;
    }

    private static FileTime lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
