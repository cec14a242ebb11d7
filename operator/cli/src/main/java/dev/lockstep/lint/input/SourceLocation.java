package dev.lockstep.lint.input;

/**
 * Where a finding is in the files a reviewer sees: the script file, or the YAML manifest holding the
 * ConfigMap the script is a key of, with the line of the statement there.
 */
public record SourceLocation(String file, int line) {}
