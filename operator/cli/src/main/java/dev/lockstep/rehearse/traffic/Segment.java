package dev.lockstep.rehearse.traffic;

/**
 * Where the rollout was when a request was due: which migration, in which phase, in which step (or
 * undoing which step), so that figures can be told apart per step and per phase.
 *
 * @param migration {@code namespace/name}, or {@code null} before any migration started and after all ended
 * @param phase the migration's phase then ({@code Before}/{@code After} outside any migration)
 * @param step the step running or being undone, or {@code null} between steps
 * @param undo whether the step was being undone (a rollback)
 */
public record Segment(String migration, String phase, String step, boolean undo) {

  public static final Segment BEFORE = new Segment(null, "Before", null, false);
  public static final Segment AFTER = new Segment(null, "After", null, false);

  /** One line of the per-phase table: the migration's short name and its phase, or Before/After. */
  public String phaseLabel() {
    return migration == null ? phase : migration.substring(migration.indexOf('/') + 1) + " " + phase;
  }

  /** One line of the per-step table: the step, "undo <step>", or the phase between steps. */
  public String label() {
    if (step == null) {
      return migration == null ? phase.toLowerCase() : "(" + phase + ")";
    }
    return undo ? "undo " + step : step;
  }
}
