package dev.lockstep.gates;

import java.util.List;

/**
 * Whether every ready pod of one workload supports a schema version, and if not, which pods and why.
 *
 * @param workload {@code Deployment/orders}
 * @param version the version asked about, as written in the spec
 * @param verdict the outcome
 * @param askedPods names of the ready pods that were asked, sorted
 * @param failures the asked pods that do not count as supporting the version, sorted by pod name
 * @param message one sentence for status and events, naming the workload and the pods at fault
 */
public record CompatibilityCheck(
    String workload, String version, Verdict verdict, List<String> askedPods, List<PodFailure> failures,
    String message) {

  public CompatibilityCheck {
    askedPods = List.copyOf(askedPods);
    failures = List.copyOf(failures);
  }

  /** How a check came out; only the first two let a migration go on. */
  public enum Verdict {
    /** Every ready pod answered with a range that contains the version. */
    SUPPORTED,
    /** The workload declares no {@code compatibility}: there is nothing to ask, only readiness counts. */
    NOT_DECLARED,
    /** At least one ready pod answered a range without the version, or could not tell. */
    UNSUPPORTED,
    /**
     * Every pod that did not vouch for the version only answered too late: unknown. A gate waits;
     * a guard does not call it a breach (a probe that times out behind traffic is not an incompatibility).
     */
    UNKNOWN,
    /**
     * No pod of the workload is ready. Nobody vouches for the version, so it is not satisfied: a
     * workload scaled to zero, or one that is crash-looping, must not let a contract step through.
     */
    NO_READY_PODS,
    /** The Deployment or StatefulSet does not exist. */
    WORKLOAD_MISSING,
    /** The version asked about is not a Flyway version. */
    INVALID_VERSION
  }

  public boolean satisfied() {
    return verdict == Verdict.SUPPORTED || verdict == Verdict.NOT_DECLARED;
  }
}
