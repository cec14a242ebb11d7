package dev.lockstep.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Job names: one per migration, step, action and attempt.
 *
 * <p>Determinism is what makes the operator crash-safe: a reconcile that repeats after a restart
 * asks for the same name, finds the Job already there, and adopts it instead of running the step a
 * second time.
 */
public final class JobNames {

  /** Job names become the {@code job-name} label of their pods, which is limited to 63 characters. */
  static final int MAX_LENGTH = 63;

  private JobNames() {}

  /** The Job of attempt {@code attempt} of step {@code step}. */
  public static String forStep(String migration, String step, int attempt) {
    return compose(migration, step + "-" + attempt);
  }

  /** The Job that undoes step {@code step}, attempt {@code attempt} of the undo. */
  public static String forUndo(String migration, String step, int attempt) {
    return compose(migration, step + "-undo-" + attempt);
  }

  /**
   * The Job that inspects the scripts at {@code path} in {@code image}: one per image and path, so a
   * changed image is inspected again and a repeated reconcile adopts the Job it started.
   */
  public static String forInspection(String migration, String image, String path) {
    return compose(migration, "inspect-" + sha256(image + "\n" + path).substring(0, 10));
  }

  /** The Job that repairs what step {@code step} left when it failed half-way, attempt {@code attempt}. */
  public static String forRepair(String migration, String step, int attempt) {
    return compose(migration, step + "-repair-" + attempt);
  }

  private static String compose(String migration, String suffix) {
    String name = migration + "-" + suffix;
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    // Too long: keep a readable prefix and make it unique again with a hash of the full name.
    String hash = sha256(name).substring(0, 8);
    int room = MAX_LENGTH - suffix.length() - hash.length() - 2;
    String prefix = migration.substring(0, Math.max(1, room)).replaceAll("-+$", "");
    String shortened = prefix + "-" + hash + "-" + suffix;
    return shortened.length() <= MAX_LENGTH ? shortened : hash + "-" + suffix;
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
