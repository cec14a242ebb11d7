package dev.lockstep.scripts;

import dev.lockstep.api.InspectedScripts;

/**
 * Where the inspection of a migration's scripts image stands.
 *
 * @param stage how far it got
 * @param job the inspection Job's name
 * @param image the image inspected
 * @param result what it found, when {@link Stage#DONE}
 * @param message why it failed, or what holds its pod up while it runs; otherwise {@code null}
 */
public record Inspection(Stage stage, String job, String image, InspectedScripts result, String message) {

  /** How far an inspection got. */
  public enum Stage {
    /** No inspection Job yet: launch it. */
    NOT_STARTED,
    RUNNING,
    DONE,
    FAILED
  }
}
