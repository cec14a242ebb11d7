package dev.lockstep.rehearse;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.rehearse.traffic.TrafficReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What a rehearsal saw.
 *
 * @param migrations the SchemaMigrations as they ended
 * @param resources every resource of the manifests as it ended (Secrets without their data)
 * @param bands the steps, undos and phases over time
 * @param injected the faults injected and when they took effect
 * @param traffic what the synthetic requests measured, or {@code null} without {@code --traffic}
 * @param seconds how long the rehearsal ran
 * @param timedOut whether it stopped at its timeout
 */
public record RehearsalResult(List<SchemaMigration> migrations, List<HasMetadata> resources, List<Band> bands,
    List<InjectedFault> injected, TrafficReport traffic, double seconds, boolean timedOut) {

  /** A fault as injected: {@code fail@contract}, at a time, and what it did. */
  public record InjectedFault(String fault, String migration, double atSeconds, String what) {}
}
