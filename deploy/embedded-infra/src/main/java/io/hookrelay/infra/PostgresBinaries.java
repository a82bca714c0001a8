package io.hookrelay.infra;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
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
        try {
            String md5 = md5();
            if (md5 == null) {
                return null;
            }
            Files.createDirectories(workingDirectory);
            Path target = workingDirectory.resolve("PG-" + md5);
            if (isComplete(target)) {
                return target;
            }
            synchronized (PostgresBinaries.class) { // a file lock is held per process, not per thread
                Path lockPath = workingDirectory.resolve("hookrelay-unpack.lock");
                try (var lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        var lock = lockFile.lock()) {
                    shareWithOtherUsers(lockPath);
                    removeAbandonedStaging(workingDirectory);
                    if (!isComplete(target)) {
                        unpackInto(target);
                    }
                }
            }
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("Could not unpack the PostgreSQL binaries into " + workingDirectory,
                    e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e);
        }
    }

    /**
     * zonky's own test: the marker exists and nothing beside it, nor the directory itself, was
     * modified more than 100 ms after it (times in milliseconds, as {@code File.lastModified}).
     */
    static boolean isComplete(Path directory) throws IOException {
        Path marker = directory.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        long marked = Files.getLastModifiedTime(marker).toMillis();
        if (Files.getLastModifiedTime(directory).toMillis() - 100 > marked) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                if (!entry.equals(marker) && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis() - 100 > marked) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void unpackInto(Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
        Directories.deleteRecursively(staging);
        try (InputStream in = archive();
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
        // a second ahead of every entry: zonky compares the marker's time with theirs
        Files.writeString(staging.resolve(MARKER), "");
        Files.setLastModifiedTime(staging.resolve(MARKER), FileTime.fromMillis(System.currentTimeMillis() + 1000));
        Directories.deleteRecursively(target); // what a crash (ours, or zonky's own unpacking) left half-filled
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            Directories.deleteRecursively(staging); // someone without our lock (zonky itself) finished first
        }
    }

    /** zonky's archive for this system, found as zonky finds it; null when there is none. */
    private static InputStream archive() throws IOException {
        String name = System.getProperty("os.name");
        String system = name.startsWith("Windows") ? "Windows" : name.startsWith("Mac") ? "Darwin" : name.startsWith("Linux") ? "Linux" : name;
        String arch = System.getProperty("os.arch");
        return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, "amd64".equals(arch) ? "x86_64" : arch);
    }

    private static String md5() throws IOException {
        InputStream archive = archive();
        if (archive == null) {
            return null;
        }
        try (var in = new DigestInputStream(archive, MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** zonky's directory is shared by every user of the machine; so is our lock file in it. */
    private static void shareWithOtherUsers(Path lockPath) {
        try {
            Files.setPosixFilePermissions(lockPath, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not ours to change, or not a POSIX file system: the lock still works for us
        }
    }

    /** Staging directories of processes that died while unpacking (their pid in the name). */
    private static void removeAbandonedStaging(Path workingDirectory) throws IOException {
        try (Stream<Path> entries = Files.list(workingDirectory)) {
            for (Path entry : entries.toList()) {
                var match = java.util.regex.Pattern.compile("PG-[0-9a-f]{32}\\.unpacking-(\\d+)").matcher(entry.getFileName().toString());
                if (match.matches() && !ProcessHandle.of(Long.parseLong(match.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    Directories.deleteRecursively(entry);
                }
            }
        }
    }
}
