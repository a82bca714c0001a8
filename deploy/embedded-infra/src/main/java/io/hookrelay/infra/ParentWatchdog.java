package io.hookrelay.infra;

/**
 * Ends a child process when the process that started it dies, so a killed launcher or test JVM
 * leaves no stray broker or service behind. Usable as a Java agent ({@code -javaagent:}) for
 * processes whose main class is not ours, such as the Spring Boot services.
 */
public final class ParentWatchdog {

    public static final String PARENT_PID_PROPERTY = "hookrelay.parent-pid";

    private ParentWatchdog() {}

    public static void premain(String arguments) {
        watchParent();
    }

    /** Watches the pid in {@value #PARENT_PID_PROPERTY}, if set. */
    public static void watchParent() {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.trim()))
                .ifPresentOrElse(
                        parent -> parent.onExit().thenRun(ParentWatchdog::exitOrphan),
                        ParentWatchdog::exitOrphan);
    }

    private static void exitOrphan() {
        System.err.println("hookrelay: parent process is gone, stopping");
        System.exit(3);
    }
}
