package dev.lockstep.flags;

/**
 * The outcome of {@link FlagStore#update}.
 *
 * @param before the definition the change was computed from
 * @param after the definition the source now holds for the flag
 * @param written false when {@code after} already was the definition, and nothing was sent
 */
public record FlagWrite(FlagDefinition before, FlagDefinition after, boolean written) {}
