package dev.lockstep.events;

import dev.lockstep.api.SchemaMigration;

/** Tells people what happened to a migration, as Kubernetes Events on it. */
public interface EventRecorder {

  /** Events of type Normal or Warning, as Kubernetes knows them. */
  enum Type {
    Normal,
    Warning
  }

  void record(SchemaMigration migration, Type type, String reason, String message);
}
