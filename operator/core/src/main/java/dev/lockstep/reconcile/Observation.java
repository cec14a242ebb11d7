package dev.lockstep.reconcile;

import dev.lockstep.steps.StepObservation;
import dev.lockstep.api.RiskReport;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.queue.DatabaseLeases;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.scripts.Inspection;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler saw of the world before deciding. Plain data, so the decision can be tested
 * without any of it.
 *
 * @param validationProblems problems found by validating the current spec, or {@code null} when
 *     validation did not run in this reconcile
 * @param step where the step that is running (or being undone) stands, or {@code null} when none is
 * @param irreversible why the next step to undo cannot be undone, or {@code null} when it can (or
 *     nothing is being rolled back)
 * @param queue what stands between a waiting migration and its database, or {@code null} when it
 *     was not looked at (the migration is past the queue)
 * @param lease the database's lease as read, for taking or renewing it; empty when there is none
 * @param risk the risk classification of the scripts, when validation ran and could read them
 * @param guards what the guards saw, or {@code null} when they were not checked (steps are not running)
 * @param activeJobs the names of this migration's Jobs that have not ended yet — no end condition,
 *     or a pod still running or terminating — in any order; empty when none is (or it was not looked at)
 * @param inspection where the inspection of the scripts image stands, while validation waits for
 *     it; {@code null} when none is needed (a ConfigMap, or the image's inspection is in status)
 * @param noReturn the points of no return known at validation, one sentence each (a migrate step
 *     whose versions have no undo script); empty when validation did not run or found none
 * @param repair where the repair Job recorded in {@code status.repair} stands, or {@code null} when none runs
 */
public record Observation(List<String> validationProblems, StepObservation step, String irreversible,
    QueuePosition queue, Optional<DatabaseLeases.LeaseRecord> lease, RiskReport risk, GuardReading guards,
    List<String> activeJobs, Inspection inspection, List<String> noReturn, StepObservation repair) {

  public static Observation nothing() {
    return new Observation(null, null, null, null, Optional.empty(), null, null, List.of(), null, List.of(), null);
  }

  public Observation withActiveJobs(List<String> names) {
    return new Observation(validationProblems, step, irreversible, queue, lease, risk, guards, List.copyOf(names),
        inspection, noReturn, repair);
  }

  public Observation withGuards(GuardReading reading) {
    return new Observation(validationProblems, step, irreversible, queue, lease, risk, reading, activeJobs,
        inspection, noReturn, repair);
  }

  public Observation withRisk(RiskReport report) {
    return new Observation(validationProblems, step, irreversible, queue, lease, report, guards, activeJobs,
        inspection, noReturn, repair);
  }

  public Observation withValidation(List<String> problems) {
    return new Observation(problems, step, irreversible, queue, lease, risk, guards, activeJobs, inspection, noReturn, repair);
  }

  public Observation withStep(StepObservation observation) {
    return new Observation(validationProblems, observation, irreversible, queue, lease, risk, guards, activeJobs,
        inspection, noReturn, repair);
  }

  public Observation withIrreversible(String why) {
    return new Observation(validationProblems, step, why, queue, lease, risk, guards, activeJobs, inspection, noReturn, repair);
  }

  public Observation withInspection(Inspection state) {
    return new Observation(validationProblems, step, irreversible, queue, lease, risk, guards, activeJobs, state,
        noReturn, repair);
  }

  public Observation withNoReturn(List<String> sentences) {
    return new Observation(validationProblems, step, irreversible, queue, lease, risk, guards, activeJobs, inspection,
        List.copyOf(sentences), repair);
  }

  public Observation withQueue(QueuePosition position) {
    return new Observation(validationProblems, step, irreversible, position, lease, risk, guards, activeJobs,
        inspection, noReturn, repair);
  }

  public Observation withRepair(StepObservation observation) {
    return new Observation(validationProblems, step, irreversible, queue, lease, risk, guards, activeJobs, inspection,
        noReturn, observation);
  }

  public Observation withLease(Optional<DatabaseLeases.LeaseRecord> record) {
    return new Observation(validationProblems, step, irreversible, queue, record, risk, guards, activeJobs,
        inspection, noReturn, repair);
  }
}
