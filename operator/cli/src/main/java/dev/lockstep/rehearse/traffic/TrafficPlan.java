package dev.lockstep.rehearse.traffic;

import java.util.List;

/** What synthetic requests to send to a workload, and how to check afterwards what they wrote. */
public interface TrafficPlan {

  /** The request for the {@code sequence}-th slot, sent to the pod at {@code podIp}. */
  PlannedRequest next(long sequence, String podIp);

  /**
   * Reads back every write the application acknowledged, through the pods at {@code podIps}.
   *
   * @return the verdict; {@link WriteCheck#NOT_CHECKED} when this plan cannot tell
   */
  WriteCheck verifyWrites(List<String> podIps) throws InterruptedException;

  /** For people: what the plan sends, e.g. "orders sample app: create, read, update". */
  String description();
}
