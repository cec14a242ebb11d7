package dev.lockstep.rehearse;

/**
 * A stretch of the rehearsal as the report draws it: a step running, a step being undone, or a
 * migration in one phase.
 *
 * @param migration {@code namespace/name}
 * @param label the step's name, {@code undo <step>}, or the phase
 * @param kind {@code migrate}, {@code backfill}, {@code flags}, {@code wait}, or {@code phase}
 * @param state how it ended: the step's state (Succeeded, Failed, RolledBack, ...) or the phase
 * @param startSeconds seconds since the rehearsal started
 * @param endSeconds when it ended (the end of the rehearsal for one still open then)
 */
public record Band(String migration, String label, String kind, String state, double startSeconds,
    double endSeconds) {

  public static final String PHASE = "phase";

  public boolean describesPhase() {
    return PHASE.equals(kind);
  }
}
