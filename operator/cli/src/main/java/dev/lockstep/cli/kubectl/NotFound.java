package dev.lockstep.cli.kubectl;

/** The message for a migration that is not there, naming where it was looked for. */
final class NotFound {

  private NotFound() {}

  static String message(Cluster cluster, String name) {
    return "SchemaMigration " + name + " not found in namespace " + cluster.namespace()
        + " (kubectl lockstep list -A shows every migration; -n picks the namespace)";
  }
}
