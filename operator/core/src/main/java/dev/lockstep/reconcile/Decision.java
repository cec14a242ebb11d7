package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigrationStatus;
import java.time.Duration;

/**
 * What happens next: the status to record, the one action to take, and when to look again.
 *
 * @param status the complete new status (conditions are added by the {@link StatusRecorder})
 * @param action the side effect to carry out before recording
 * @param requeueAfter when to reconcile again even if nothing changes, or {@code null} for never
 * @param health the reason and message behind the phase, for conditions
 */
public record Decision(
    SchemaMigrationStatus status, Action action, Duration requeueAfter, Health health) {}
