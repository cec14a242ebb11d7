package dev.lockstep.scripts;

import dev.lockstep.api.InspectedScripts;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsImage;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobFactory;
import dev.lockstep.jobs.RunnerJobRequest;
import java.time.Duration;
import java.util.List;

/**
 * Inspects a scripts image with a runner Job ({@code lockstep inspect}): the same runner image and
 * the same init container that copies the scripts for a migrate Job, no database credentials. The
 * Job's name is derived from the image and path, so a repeated reconcile adopts it and a changed
 * image gets a new one.
 */
public final class JobScriptsInspector implements ScriptsInspector {

  /** Reading a few hundred files takes seconds; a pod that cannot start says why meanwhile. */
  static final Duration DEADLINE = Duration.ofMinutes(5);

  private final JobLauncher jobs;

  public JobScriptsInspector(JobLauncher jobs) {
    this.jobs = jobs;
  }

  @Override
  public void launch(SchemaMigration migration) {
    jobs.launch(request(migration));
  }

  @Override
  public Inspection state(SchemaMigration migration) {
    RunnerJobRequest request = request(migration);
    String job = request.jobName();
    ScriptsImage image = migration.getSpec().getScripts().getImage();
    JobState state = jobs.state(request.namespace(), job);
    return switch (state.phase()) {
      case MISSING -> new Inspection(Inspection.Stage.NOT_STARTED, job, image.getName(), null, null);
      case RUNNING -> new Inspection(Inspection.Stage.RUNNING, job, image.getName(), null, state.message());
      case FAILED -> new Inspection(Inspection.Stage.FAILED, job, image.getName(), null, state.message());
      case SUCCEEDED -> {
        InspectedScripts found = state.result() == null ? null : state.result().getInspection();
        if (found == null) {
          yield new Inspection(Inspection.Stage.FAILED, job, image.getName(), null, "Job " + job
              + " completed without reporting the scripts; run the same Lockstep version for the operator and"
              + " its Jobs");
        }
        found.setImage(image.getName());
        found.setPath(image.getPath());
        found.setJob(job);
        yield new Inspection(Inspection.Stage.DONE, job, image.getName(), found, null);
      }
    };
  }

  private static RunnerJobRequest request(SchemaMigration migration) {
    return RunnerJobRequest.inspection(migration,
        List.of("inspect", "--scripts", RunnerJobFactory.SCRIPTS_MOUNT), DEADLINE);
  }
}
