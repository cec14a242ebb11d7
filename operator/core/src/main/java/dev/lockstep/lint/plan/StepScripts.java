package dev.lockstep.lint.plan;

import java.util.List;

/**
 * The scripts one step runs.
 *
 * @param step the step's name
 * @param forward the versioned scripts its migrate applies, oldest first; empty for other kinds
 * @param undo the undo scripts that roll it back, newest first (the order rollback runs them)
 */
public record StepScripts(String step, List<String> forward, List<String> undo) {}
