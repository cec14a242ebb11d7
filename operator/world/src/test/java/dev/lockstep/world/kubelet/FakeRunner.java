package dev.lockstep.world.kubelet;

import dev.lockstep.runner.ContainerEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the runner image: reads what the Job protocol gives a runner (the database URL
 * from the env, the scripts directory from a volume) and reports it in its termination message.
 *
 * <p>Args: {@code [--scripts <dir>] [--exit <code>] [--message <text>] [--say <log line>]}.
 */
final class FakeRunner implements ContainerEntrypoint {

  final AtomicInteger runs = new AtomicInteger();
  final List<String> argsSeen = new CopyOnWriteArrayList<>();

  @Override
  public int run(String[] args, ContainerEnvironment env) throws Exception {
    runs.incrementAndGet();
    argsSeen.add(String.join(" ", args));
    List<String> list = List.of(args);
    String scripts = value(list, "--scripts", "/lockstep/scripts");
    int exit = Integer.parseInt(value(list, "--exit", "0"));
    Path dir = env.file(scripts);
    List<String> files;
    try (var listing = Files.list(dir)) {
      files = listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
    String say = value(list, "--say", null);
    if (say != null) {
      env.out().println(say);
    }
    env.err().println("runner saw " + files.size() + " scripts");
    String message = value(list, "--message",
        "{\"url\":\"" + env.env("LOCKSTEP_DB_URL") + "\",\"user\":\"" + env.env("LOCKSTEP_DB_USERNAME")
            + "\",\"scripts\":\"" + String.join(",", files) + "\"}");
    if (!message.isEmpty()) {
      Files.writeString(env.file(ContainerEnvironment.TERMINATION_LOG), message);
    }
    return exit;
  }

  private static String value(List<String> args, String name, String fallback) {
    int at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
  }
}
