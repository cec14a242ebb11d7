package dev.lockstep.command;

import dev.lockstep.command.OperatorCommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.metrics.OperatorHttpServer;
import dev.lockstep.reconcile.LockstepOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code lockstep operator}'s options, as the chart sets them, and what its probes answer. */
class OperatorCommandTest {

  private static OperatorCommand parse(String... args) {
    OperatorCommand command = new OperatorCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void leaderElectionIsOnByDefaultAndCanBeTurnedOff() {
    OperatorCommand defaults = parse();
    assertThat(defaults.leaderElection).isTrue();
    assertThat(defaults.leaseName).isEqualTo("lockstep-leader");
    assertThat(defaults.metricsPort).isEqualTo(8080);
    assertThat(defaults.runnerRequests).containsEntry("cpu", "100m").containsEntry("memory", "256Mi");
    assertThat(defaults.runnerLimits).containsOnlyKeys("memory");
    assertThat(defaults.runnerTtlSeconds).isEqualTo(86_400);

    assertThat(parse("--no-leader-election").leaderElection).isFalse();
  }

  @Test
  void runnerOptionsAreParsed() {
    OperatorCommand command = parse("--runner-requests", "cpu=250m,memory=300Mi", "--runner-limits", "memory=1Gi",
        "--runner-image-pull-secrets", "a,b", "--runner-ttl-seconds", "60", "--lease-name", "x", "--metrics-port", "9400");

    assertThat(command.runnerRequests).containsEntry("cpu", "250m").containsEntry("memory", "300Mi");
    assertThat(command.runnerLimits).containsEntry("memory", "1Gi");
    assertThat(command.runnerPullSecrets).containsExactly("a", "b");
    assertThat(command.runnerTtlSeconds).isEqualTo(60);
    assertThat(command.leaseName).isEqualTo("x");
    assertThat(command.metricsPort).isEqualTo(9400);
  }

  @Test
  void aStandbyIsReadyAndAnUnhealthyInformerFailsLiveness() {
    OperatorHttpServer.Probe standby = OperatorCommand.probe(new LockstepOperator.State(true, true, false, "informers synced"));
    assertThat(standby.live()).isTrue();
    assertThat(standby.ready()).isTrue();
    assertThat(standby.detail()).contains("standing by");

    OperatorHttpServer.Probe starting = OperatorCommand.probe(new LockstepOperator.State(false, false, false, "not started"));
    assertThat(starting.live()).isTrue();
    assertThat(starting.ready()).isFalse();

    OperatorHttpServer.Probe broken = OperatorCommand.probe(new LockstepOperator.State(true, false, true, "unhealthy"));
    assertThat(broken.live()).isFalse();
    assertThat(broken.ready()).isFalse();
  }
}
