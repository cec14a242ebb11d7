package dev.lockstep.rehearse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline names a gate when a step starts to wait at it, and when the step passes it: not on every look. */
class TimelineTest {

  private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
  private static final String HELD = "Deployment/orders: 1 of 2 ready pods does not support schema version 3:"
      + " orders-abc (127.0.1.1): supports 1-2, not 3";

  private static SchemaMigration migration(List<StepHold> holds) {
    SchemaMigration m = new SchemaMigration();
    m.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
    StepStatus contract = new StepStatus();
    contract.setName("contract");
    contract.setState(StepState.Running);
    contract.setAttempts(1);
    contract.setMessage("compatibility gate: waiting");
    contract.setWaitingFor(holds);
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(Phase.Progressing);
    status.setSteps(List.of(contract));
    m.setStatus(status);
    return m;
  }

  @Test
  void aGateIsNamedOnceWhenItHoldsAndOnceWhenItLetsGo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Timeline timeline = new Timeline(new PrintStream(out, true, StandardCharsets.UTF_8), START);
    List<StepHold> held = List.of(new StepHold("compatibility", "Deployment/orders", HELD, START.plusSeconds(1).toString()));

    timeline.observe(List.of(migration(held)), START.plusSeconds(1));
    timeline.observe(List.of(migration(held)), START.plusSeconds(3));
    timeline.observe(List.of(migration(null)), START.plusSeconds(6));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).containsOnlyOnce("step contract waits at the compatibility gate: " + HELD);
    assertThat(printed).containsOnlyOnce("step contract passed the compatibility gate (Deployment/orders) after 5.0s");
  }
}
