package io.hookrelay.events;

/**
 * A record on a HookRelay topic that can never be processed, however often it is tried: not
 * JSON, the wrong shape, or a required field missing or invalid. Consumers set such records
 * aside (a dead-letter topic) instead of retrying them.
 */
public class UnreadableRecordException extends RuntimeException {

    public UnreadableRecordException(String message) {
        super(message);
    }

    public UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
