package dev.lockstep.cli.kubectl;

import dev.lockstep.cli.Lockstep;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep kubectl ...}: the kubectl plugin. The file {@code kubectl-lockstep} on PATH is a
 * shell stub in front of this jar that runs {@code java -jar <itself> kubectl "$@"}, so
 * {@code kubectl lockstep status NAME} lands here. It connects the way kubectl does: the kubeconfig
 * ({@code --kubeconfig}, else {@code KUBECONFIG}, else {@code ~/.kube/config}), its current context
 * or {@code --context}, and the context's namespace or {@code -n}.
 */
@Command(
    name = "kubectl",
    mixinStandardHelpOptions = true,
    description = {
      "The kubectl plugin (kubectl lockstep ...): see and steer SchemaMigrations in a cluster.",
      "Exit status: 0 done, 1 refused or not found (the message says why), 2 usage error."
    },
    subcommands = {
      StatusCommand.class,
      ListCommand.class,
      ApproveCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      AbortCommand.class,
      RetryCommand.class,
      RepairCommand.class,
      PlanCommand.class,
    })
public final class KubectlCommand implements Runnable {

  /** Set by the kubectl-lockstep stub, so that usage reads "kubectl lockstep ..." as typed. */
  public static final String PLUGIN_MARK = "LOCKSTEP_INVOKED_AS";

  public static final String PLUGIN_MARK_VALUE = "kubectl-lockstep";

  /** Exit status when the cluster says no, or the verb makes no sense for the migration as it is. */
  static final int REFUSED = 1;

  @ParentCommand Lockstep root;

  @Spec CommandSpec spec;

  @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Path to the kubeconfig file (default: KUBECONFIG, else ~/.kube/config).")
  String kubeconfig;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "The namespace (default: the context's namespace, else default).")
  String namespace;

  @Override
  public void run() {
    spec.commandLine().usage(out());
  }

  PrintStream out() {
    return root.environment().out();
  }

  PrintStream err() {
    return root.environment().err();
  }

  /** A connection to the cluster the options name. */
  Cluster connect() {
    return Cluster.connect(kubeconfig == null ? null : root.environment().file(kubeconfig), context, namespace);
  }
}
