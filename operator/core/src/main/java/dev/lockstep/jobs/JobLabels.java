package dev.lockstep.jobs;

/** Labels on every Job the operator creates, so people and the operator can find them. */
public final class JobLabels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "lockstep";
  public static final String MIGRATION = "lockstep.dev/migration";
  public static final String STEP = "lockstep.dev/step";
  public static final String ATTEMPT = "lockstep.dev/attempt";
  /** {@code do} for a step's own Job, {@code undo} for the Job that reverts it. */
  public static final String ACTION = "lockstep.dev/action";

  /** The selector of every Job this operator manages. */
  public static final String SELECTOR = MANAGED_BY + "=" + MANAGER;

  private JobLabels() {}
}
