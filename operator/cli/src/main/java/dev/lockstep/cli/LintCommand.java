package dev.lockstep.cli;

import dev.lockstep.lint.LintException;
import dev.lockstep.lint.RiskAssessor;
import dev.lockstep.lint.input.InputLinter;
import dev.lockstep.lint.input.LintInputs;
import dev.lockstep.lint.input.LintedInputs;
import dev.lockstep.lint.report.GithubReport;
import dev.lockstep.lint.report.JsonReport;
import dev.lockstep.lint.report.MarkdownReport;
import dev.lockstep.lint.report.SarifReport;
import dev.lockstep.lint.report.TextReport;
import dev.lockstep.shadow.ShadowDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lockstep lint}: the risk report for CI. Exit 0 when nothing needs approval, 1 when something
 * does, 2 for usage errors and scripts that cannot be read or split.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
        "Classifies the risk of Flyway scripts and SchemaMigration steps before they run.",
        "Exit status: 0 nothing needs approval, 1 something does, 2 usage or parse error."})
public final class LintCommand implements Callable<Integer> {

  /** Exit status when a finding needs approval. */
  static final int NEEDS_APPROVAL = 1;
  /** Exit status for usage errors and input that cannot be judged; picocli uses it for usage errors. */
  static final int INVALID_INPUT = 2;

  enum Format {
    TEXT,
    JSON,
    SARIF,
    GITHUB,
    MARKDOWN
  }

  /** Reads --output case-insensitively: text, json, sarif, github or markdown. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format format : Format.values()) {
        if (format.name().equalsIgnoreCase(value)) {
          return format;
        }
      }
      throw new TypeConversionException("expected text, json, sarif, github or markdown, not '" + value + "'");
    }
  }

  @ParentCommand
  private Lockstep root;

  @Parameters(arity = "1..*", paramLabel = "<dir|file>",
      description = "Flyway scripts (V/U/R*.sql), SchemaMigration and ConfigMap manifests (.yaml), or directories of them.")
  private List<String> paths;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json|sarif|github|markdown",
      converter = FormatConverter.class,
      description = "Report format (default: ${DEFAULT-VALUE}): text for people, json for tools, sarif for code"
          + " scanning, github for workflow annotations, markdown for a pull-request comment.")
  private Format output;

  @Option(names = "--pg-version", defaultValue = "" + RiskAssessor.DEFAULT_POSTGRES_VERSION, paramLabel = "<major>",
      description = "Major version of the target PostgreSQL, for version-dependent rules (default: ${DEFAULT-VALUE}).")
  private int postgresMajorVersion;

  @Option(names = "--shadow", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run every statement on a throw-away embedded PostgreSQL 14 and report the locks and"
          + " rewrites it really causes (default: on; --no-shadow lints statically only, in a fraction of a second).")
  private boolean shadow;

  @Override
  public Integer call() {
    if (postgresMajorVersion < 10) {
      root.environment().err().println("lint: --pg-version " + postgresMajorVersion
          + " is not supported: give the target server's major version, 10 or later");
      return INVALID_INPUT;
    }
    LintedInputs linted;
    try {
      List<Path> files = paths.stream().map(path -> root.environment().file(path)).toList();
      LintInputs inputs = LintInputs.read(files);
      linted = shadow ? lintWithShadow(inputs) : new InputLinter(postgresMajorVersion, null).lint(inputs);
    } catch (LintException e) {
      root.environment().err().println("lint: " + e.getMessage());
      return INVALID_INPUT;
    }
    root.environment().out().print(render(linted));
    root.environment().out().flush();
    return linted.result().needsApproval() ? NEEDS_APPROVAL : 0;
  }

  private String render(LintedInputs linted) {
    return switch (output) {
      case TEXT -> TextReport.render(linted.result());
      case JSON -> JsonReport.render(linted) + "\n";
      case SARIF -> SarifReport.render(linted, Lockstep.class.getPackage().getImplementationVersion()) + "\n";
      case GITHUB -> GithubReport.render(linted);
      case MARKDOWN -> MarkdownReport.render(linted);
    };
  }

  private LintedInputs lintWithShadow(LintInputs inputs) throws LintException {
    if (postgresMajorVersion != ShadowDatabase.POSTGRES_MAJOR_VERSION) {
      root.environment().err().println("lint: note: the shadow database is PostgreSQL "
          + ShadowDatabase.POSTGRES_MAJOR_VERSION + "; observed locks and rewrites are that version's, while"
          + " the static rules follow --pg-version " + postgresMajorVersion);
    }
    try (ShadowDatabase database = ShadowDatabase.start()) {
      return new InputLinter(postgresMajorVersion, database).lint(inputs);
    }
  }
}
