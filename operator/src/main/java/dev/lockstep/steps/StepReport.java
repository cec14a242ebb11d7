package dev.lockstep.steps;

/**
 * Facts a finished step reports for status.
 *
 * @param versionBefore the schema version before a migrate or undo ran, or {@code null}
 * @param versionAfter the schema version after it ran; becomes {@code status.schemaVersion}
 * @param lockRetries statements retried after hitting the lock timeout
 */
public record StepReport(String versionBefore, String versionAfter, Integer lockRetries) {}
