package dev.lockstep.rehearse;

import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.world.FakePrometheus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The Prometheus a rehearsal's migrations query: there is no real one here, so every Prometheus check
 * of the manifests is pointed at a {@link FakePrometheus} that answers each query with a value within
 * its bounds, until an injected breach makes one answer out of bounds. A guard the rehearsal adds for
 * an injected breach asks {@link #FAILURE_RATIO_QUERY}: the share of the rehearsal's own requests that
 * failed in the last 10 seconds.
 */
final class RehearsalPrometheus implements AutoCloseable {

  static final String FAILURE_RATIO_QUERY = "lockstep_rehearsal:failed_requests:ratio10s";

  private final FakePrometheus server = FakePrometheus.start();
  private final Map<String, Double> answers = new ConcurrentHashMap<>();
  private volatile DoubleSupplier failureRatio = () -> 0;

  RehearsalPrometheus() {
    server.answerOthers(query -> {
      Double value = answers.get(query);
      if (value != null) {
        return FakePrometheus.Answer.vector(value);
      }
      return FAILURE_RATIO_QUERY.equals(query)
          ? FakePrometheus.Answer.vector(failureRatio.getAsDouble())
          : FakePrometheus.Answer.vector();
    });
  }

  /** Where the guard the rehearsal adds reads the traffic's failure ratio from. */
  void failureRatio(DoubleSupplier ratio) {
    this.failureRatio = ratio;
  }

  /**
   * Points every Prometheus check of {@code migrations} here, each answered within its bounds.
   *
   * @return one line per check, for the timeline
   */
  List<String> adopt(List<SchemaMigration> migrations) {
    List<String> notes = new ArrayList<>();
    for (SchemaMigration m : migrations) {
      if (m.getSpec() == null) {
        continue;
      }
      List<PrometheusCheck> checks = new ArrayList<>();
      if (m.getSpec().getGuards() != null && m.getSpec().getGuards().getPrometheus() != null) {
        checks.add(m.getSpec().getGuards().getPrometheus());
      }
      for (Step step : m.getSpec().getSteps() == null ? List.<Step>of() : m.getSpec().getSteps()) {
        if (step.getWaitFor() != null && step.getWaitFor().getPrometheus() != null) {
          checks.add(step.getWaitFor().getPrometheus());
        }
      }
      for (PrometheusCheck check : checks) {
        if (check.getQuery() == null) {
          continue; // validation reports it
        }
        answers.putIfAbsent(check.getQuery(), healthy(check));
        notes.add("Prometheus " + check.getUrl() + " is simulated: " + check.getQuery() + " answers "
            + answers.get(check.getQuery()));
        check.setUrl(server.url());
      }
    }
    return notes;
  }

  /** A guard on the rehearsal's own failure ratio, for a migration that has none to breach. */
  PrometheusCheck failureRatioGuard() {
    PrometheusCheck check = new PrometheusCheck();
    check.setUrl(server.url());
    check.setQuery(FAILURE_RATIO_QUERY);
    check.setMax(0.01);
    check.setForDuration("3s");
    return check;
  }

  /** From now on {@code check}'s query answers out of its bounds. */
  void breach(PrometheusCheck check) {
    answers.put(check.getQuery(), outOfBounds(check));
  }

  private static double healthy(PrometheusCheck check) {
    if (check.getMin() != null && check.getMax() != null) {
      return (check.getMin() + check.getMax()) / 2;
    }
    if (check.getMin() != null) {
      return check.getMin();
    }
    return check.getMax() == null || check.getMax() >= 0 ? 0 : check.getMax();
  }

  private static double outOfBounds(PrometheusCheck check) {
    if (check.getMax() != null) {
      return check.getMax() + Math.max(1, Math.abs(check.getMax()));
    }
    return check.getMin() == null ? 1 : check.getMin() - Math.max(1, Math.abs(check.getMin()));
  }

  @Override
  public void close() {
    server.close();
  }
}
