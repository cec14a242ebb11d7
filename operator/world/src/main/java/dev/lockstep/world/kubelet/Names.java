package dev.lockstep.world.kubelet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Object names as Kubernetes' controllers make them. */
final class Names {

  /** The alphabet Kubernetes uses for generated suffixes and hashes (no vowels, no look-alikes). */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /** generateName keeps at most this much of the base name, so the result fits in 63 characters. */
  private static final int MAX_GENERATED_BASE = 58;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  /** {@code <base>-<5 random characters>}, like {@code metadata.generateName}. */
  static String generated(String base) {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return truncatedBase(base) + suffix;
  }

  /**
   * {@code <base>-<5 characters>} derived from {@code seed}: looks generated, but two kubelets
   * naming the pod for the same Job attempt choose the same name, so only one create succeeds.
   */
  static String derived(String base, String seed) {
    return truncatedBase(base) + encode(seed, 5);
  }

  /** A short stable hash of {@code text}, like the {@code pod-template-hash} label. */
  static String hash(String text) {
    return encode(text, 10);
  }

  private static String truncatedBase(String base) {
    String withDash = base + "-";
    return withDash.length() > MAX_GENERATED_BASE ? withDash.substring(0, MAX_GENERATED_BASE) : withDash;
  }

  private static String encode(String text, int length) {
    byte[] digest = sha256(text);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
