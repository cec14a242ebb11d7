package dev.lockstep.flags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Function;

/** A flag source that is one flagd document in memory, for tests of what uses a {@link FlagStore}. */
public final class InMemoryFlagStore implements FlagStore {

  private String text;
  private int writes;
  private String refusal;

  public InMemoryFlagStore(String flagdDocument) {
    this.text = flagdDocument;
  }

  /** The document as stored now. */
  public String text() {
    return text;
  }

  /** How many times the document was written. */
  public int writes() {
    return writes;
  }

  /** Every later call fails with {@code why}, as an unreachable or broken source would. */
  public void refuse(String why) {
    this.refusal = why;
  }

  @Override
  public String description() {
    return "in-memory flagd document";
  }

  @Override
  public FlagSet read() {
    refuseIfAsked();
    return FlagdDocument.read(text, description());
  }

  @Override
  public FlagWrite update(String key, Function<FlagDefinition, ObjectNode> change) {
    refuseIfAsked();
    FlagDefinition before = read().require(key);
    ObjectNode desired = change.apply(before);
    if (before.sameAs(desired)) {
      return new FlagWrite(before, before, false);
    }
    text = FlagdDocument.withFlag(text, key, desired, description());
    writes++;
    return new FlagWrite(before, read().require(key), true);
  }

  @Override
  public boolean restore(String key, String savedDefinition) {
    refuseIfAsked();
    Optional<FlagDefinition> current = read().flag(key);
    if (current.isPresent() && current.get().json().equals(savedDefinition)) {
      return false;
    }
    text = FlagdDocument.withFlagText(text, key, savedDefinition, description());
    writes++;
    return true;
  }

  private void refuseIfAsked() {
    if (refusal != null) {
      throw new FlagException(refusal);
    }
  }
}
