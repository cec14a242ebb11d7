package dev.lockstep.world.kubelet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The commands the simulated node can run inside any image without an entrypoint: {@code cp}, the
 * one an init container uses to copy scripts out of a scripts image ({@code cp -R
 * /migrations/. /lockstep/scripts/}).
 */
final class BuiltInCommands {

  private BuiltInCommands() {}

  static boolean supports(List<String> command) {
    return !command.isEmpty() && command.get(0).equals("cp");
  }

  /** Runs the command against the container's file view and returns its exit code, as cp would. */
  static int run(List<String> command, Function<String, Path> files, PrintStream err) {
    List<String> operands = new ArrayList<>();
    boolean recursive = false;
    for (String argument : command.subList(1, command.size())) {
      if (argument.startsWith("-") && argument.length() > 1) {
        recursive |= argument.contains("R") || argument.contains("r") || argument.contains("a");
      } else {
        operands.add(argument);
      }
    }
    if (operands.size() < 2) {
      err.println("cp: missing destination file operand");
      return 1;
    }
    String destination = operands.get(operands.size() - 1);
    int exit = 0;
    for (String source : operands.subList(0, operands.size() - 1)) {
      exit = Math.max(exit, copy(source, destination, recursive, files, err));
    }
    return exit;
  }

  private static int copy(
      String source, String destination, boolean recursive, Function<String, Path> files, PrintStream err) {
    Path from = files.apply(source);
    Path to = files.apply(destination);
    if (!Files.exists(from)) {
      err.println("cp: cannot stat '" + source + "': No such file or directory");
      return 1;
    }
    try {
      if (Files.isDirectory(from)) {
        if (!recursive) {
          err.println("cp: -r not specified; omitting directory '" + source + "'");
          return 1;
        }
        // "src/." copies the directory's contents; "src" into an existing directory nests it.
        boolean contentsOnly = source.endsWith("/.") || source.equals(".");
        Path target = !contentsOnly && Files.isDirectory(to) ? to.resolve(from.getFileName()) : to;
        copyTree(from, target);
      } else {
        Path target = Files.isDirectory(to) ? to.resolve(from.getFileName()) : to;
        Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return 0;
    } catch (IOException e) {
      err.println("cp: " + e.getMessage());
      return 1;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> tree = Files.walk(from)) {
      for (Path path : (Iterable<Path>) tree::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          try {
            Files.createDirectories(target);
          } catch (FileAlreadyExistsException ignored) {
            // a file where a directory goes: the copy below reports it
          }
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
