package io.hookrelay.local;

/** A process's exit status as an operator reads it: Java reports death by signal N as 128 + N. */
final class ExitStatus {

    private ExitStatus() {}

    static String describe(int status) {
        String signal = switch (status - 128) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> null;
        };
        return signal == null ? Integer.toString(status) : status + " (" + signal + ")";
    }
}
