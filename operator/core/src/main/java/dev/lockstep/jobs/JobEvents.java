package dev.lockstep.jobs;

import java.util.Optional;

/**
 * The Events the Job controller writes about a Job. Asked only when a Job has had no pod for a
 * while: {@code FailedCreate} says why the controller could not make one (Pod Security admission, a
 * quota, a missing ServiceAccount).
 */
public interface JobEvents {

  /** No Events to read: the launcher then says only that no pod was created. */
  JobEvents NONE = (namespace, job) -> Optional.empty();

  /** The message of the newest {@code FailedCreate} Event of the Job, if there is one. */
  Optional<String> failedCreate(String namespace, String job);
}
