package dev.lockstep.validate;

import java.util.List;

/**
 * Checks one kind of step's own part of the spec. Each step handler is one, so the validator never
 * needs to know the kinds: it finds the one whose {@link #field()} a step sets and asks it.
 */
public interface StepKindValidator {

  /** The spec field that selects this kind, as users write it: {@code migrate}, {@code wait}, ... */
  String field();

  /** Adds a sentence for each problem with this kind's part of the step; plain code, no I/O. */
  void validate(StepValidation step, List<String> problems);

  /**
   * Why this step, as specified and with the scripts known at validation, will be a point of no
   * return for rollback, or {@code null} when it will not (or cannot be told yet). Said when the
   * migration is validated, so nobody learns it only when a rollback stops there.
   */
  default String pointOfNoReturn(StepValidation step) {
    return null;
  }
}
