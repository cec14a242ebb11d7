package dev.lockstep.api;

/** Annotations people put on a SchemaMigration to steer it (a kubectl plugin may wrap them). */
public final class Annotations {

  /** {@code lockstep.dev/approve: <step>} lets a step that needs approval start. */
  public static final String APPROVE = "lockstep.dev/approve";
  /** {@code lockstep.dev/pause: "true"} holds the migration before its next step. */
  public static final String PAUSE = "lockstep.dev/pause";
  /** {@code lockstep.dev/abort: "true"} rolls the migration back now. */
  public static final String ABORT = "lockstep.dev/abort";
  /** {@code lockstep.dev/retry: <step>} retries a failed step. */
  public static final String RETRY = "lockstep.dev/retry";
  /**
   * {@code lockstep.dev/repair: "true"} runs a repair Job for a step that failed half-way (condition
   * NeedsRepair); the retry annotation then retries the step, and set together they do both in turn.
   */
  public static final String REPAIR = "lockstep.dev/repair";
  /** {@code lockstep.dev/accept-risk: <step>[,<step>...]} accepts high-risk steps without approval. */
  public static final String ACCEPT_RISK = "lockstep.dev/accept-risk";

  private Annotations() {}
}
