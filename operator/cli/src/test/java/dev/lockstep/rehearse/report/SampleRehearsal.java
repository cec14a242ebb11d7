package dev.lockstep.rehearse.report;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.rehearse.Band;
import dev.lockstep.rehearse.RehearsalResult;
import dev.lockstep.rehearse.traffic.FailureKind;
import dev.lockstep.rehearse.traffic.Segment;
import dev.lockstep.rehearse.traffic.TrafficRecorder;
import dev.lockstep.rehearse.traffic.WriteCheck;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A rehearsal that rolled back after an injected failure, made by hand for the report's tests. */
final class SampleRehearsal {

  private SampleRehearsal() {}

  static RehearsalResult rolledBack() {
    Instant start = Instant.parse("2026-12-02T12:00:00Z");
    TrafficRecorder recorder = new TrafficRecorder(start);
    Segment expand = new Segment("default/orders-total-cents", "Progressing", "expand", false);
    Segment flip = new Segment("default/orders-total-cents", "Progressing", "dual-write", false);
    Segment fail = new Segment("default/orders-total-cents", "Progressing", "contract", false);
    Segment undo = new Segment("default/orders-total-cents", "RollingBack", "expand", true);
    for (int i = 0; i < 40 * 20; i++) {
      double at = i / 20.0;
      Segment segment = at < 10 ? expand : at < 20 ? flip : at < 30 ? fail : undo;
      long ms = 5 + (i % 17) + (at > 30 && at < 32 ? 300 : 0);
      recorder.record(start.plusMillis((long) (at * 1000)), segment, Duration.ofMillis(ms),
          at > 30 && at < 30.5 ? FailureKind.SERVER_ERROR : null);
    }
    var traffic = recorder.report(20, "Deployment default/orders", "orders sample app",
        new WriteCheck(400, 200, 0, 0, 0, true));
    List<Band> bands = List.of(
        new Band("default/orders-total-cents", "Progressing", Band.PHASE, "Progressing", 0, 30),
        new Band("default/orders-total-cents", "RollingBack", Band.PHASE, "RollingBack", 30, 38),
        new Band("default/orders-total-cents", "RolledBack", Band.PHASE, "RolledBack", 38, 40),
        new Band("default/orders-total-cents", "expand", "migrate", "RolledBack", 0, 9),
        new Band("default/orders-total-cents", "dual-write", "flags", "RolledBack", 10, 12),
        new Band("default/orders-total-cents", "fill", "backfill", "RolledBack", 12, 20),
        new Band("default/orders-total-cents", "contract", "migrate", "Failed", 20, 30),
        new Band("default/orders-total-cents", "undo fill", "backfill", "RolledBack", 31, 33),
        new Band("default/orders-total-cents", "undo dual-write", "flags", "RolledBack", 33, 34),
        new Band("default/orders-total-cents", "undo expand", "migrate", "RolledBack", 34, 38));
    SchemaMigration migration = new SchemaMigration();
    migration.setMetadata(new ObjectMetaBuilder().withName("orders-total-cents").withNamespace("default").build());
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(Phase.RolledBack);
    status.setSchemaVersion("1");
    status.setMessage("rolled back <every> step");
    StepStatus contract = new StepStatus();
    contract.setName("contract");
    contract.setState(StepState.Failed);
    contract.setMessage("injected by lockstep rehearse --inject fail@contract");
    status.setSteps(List.of(contract));
    migration.setStatus(status);
    var secret = new SecretBuilder().withNewMetadata().withName("orders-db").withNamespace("default").endMetadata()
        .addToStringData("password", "(hidden)").build();
    return new RehearsalResult(List.of(migration), List.of(migration, secret), bands,
        List.of(new RehearsalResult.InjectedFault("fail@contract", "default/orders-total-cents", 20,
            "the Job of step contract will fail")),
        traffic, 40, false);
  }
}
