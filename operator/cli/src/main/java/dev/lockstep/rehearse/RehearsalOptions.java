package dev.lockstep.rehearse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to rehearse.
 *
 * @param timeout how long to wait for every migration to finish
 * @param autoApprove approve steps that need approval as soon as they wait for it
 * @param trafficRate synthetic requests per second while the rollout runs; 0 for none
 * @param trafficFile the HTTP calls to send, or {@code null} for the sample application's own traffic
 * @param requestTimeout how long a synthetic request may take before it counts as timed out
 * @param injections faults to inject
 */
public record RehearsalOptions(Duration timeout, boolean autoApprove, int trafficRate, Path trafficFile,
    Duration requestTimeout, List<Injection> injections) {

  public RehearsalOptions {
    injections = List.copyOf(injections);
  }

  /** No traffic, no faults. */
  public static RehearsalOptions plain(Duration timeout, boolean autoApprove) {
    return new RehearsalOptions(timeout, autoApprove, 0, null, Duration.ofSeconds(5), List.of());
  }
}
